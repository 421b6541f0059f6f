//! Filter text → [`Expr`](crate::ast::Expr).
use crate::ast::Expr;
use crate::error::ParseError;

pub(crate) fn parse(_text: &str, _nest_limit: usize) -> Result<Expr, ParseError> {
    todo!("parser")
}
