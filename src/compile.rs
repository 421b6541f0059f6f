//! [`Expr`](crate::ast::Expr) → matching program.
use crate::ast::Expr;
use crate::prefilter::Prefilter;
use crate::Options;

#[derive(Clone, Debug)]
pub(crate) struct Program {
    prefilter: Prefilter,
}

impl Program {
    pub(crate) fn new(_ast: &Expr, _options: &Options) -> Program {
        todo!("compile")
    }
    pub(crate) fn prefilter(&self) -> &Prefilter {
        &self.prefilter
    }
}
