//! [`Expr`] → matching program.
//!
//! The program is the second representation of a filter, built for
//! evaluation rather than for printing: `ne` becomes `not eq`, literals are
//! typed once (a string literal knows whether it is a date, a JSON number or
//! a boolean spelling, and carries its lower-cased form under ignore-case),
//! paths are pre-split, every comparison is a numbered [`Leaf`], and the
//! paths of all leaves are merged into one [`Trie`] that the bytes evaluator
//! walks. The `eq`s of an `or` that look at one path become one leaf testing
//! membership in a [`LitSet`] (and the `ne`s of an `and`, its negation), so
//! a long list of literals costs one lookup per candidate, not one
//! comparison per literal. The constructors here are the only way to build
//! these types, so the invariants (folded needles exactly when ignore-case,
//! leaf and trie numbering) hold by construction.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::ast::{CompareOp, Comparison, Expr, Literal};
use crate::keywords::Keywords;
use crate::prefilter::Prefilter;
use crate::set::LitSet;
use crate::time::Timestamp;
use crate::value::{fold, fold_into, string_as_bool, string_as_number, Cand, Num};
use crate::Options;

/// Index of a leaf in [`Program::leaves`].
pub(crate) type LeafId = usize;
/// Index of a value path in [`Program::value_paths`].
pub(crate) type VpId = usize;
/// Index of a node in [`Trie::nodes`].
pub(crate) type TrieId = usize;

/// The boolean structure of a filter.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Leaf(LeafId),
    ValuePath(VpId),
    /// Okta's `q`: every keyword found in some string value of the event.
    Keywords,
}

/// One comparison, with its path relative to its scope (the event, or the
/// object a value path is looking at).
#[derive(Clone, Debug)]
pub(crate) struct Leaf {
    pub path: Box<[Box<str>]>,
    pub test: Test,
}

/// A value path `path[inner]`.
#[derive(Clone, Debug)]
pub(crate) struct ValuePath {
    pub path: Box<[Box<str>]>,
    pub inner: Node,
    /// The leaves and value paths inside `inner` (at any depth), which are
    /// reset for each object the bytes evaluator visits.
    pub leaves: Vec<LeafId>,
    pub value_paths: Vec<VpId>,
}

/// What a leaf asks of each candidate.
#[derive(Clone, Debug)]
pub(crate) enum Test {
    /// `eq` with a non-null literal.
    Eq(Lit),
    /// `eq` with any of several non-null literals: the `eq`s of one `or`
    /// on one path.
    In(Box<LitSet>),
    /// `eq null`: holds when there is no candidate or some candidate is null.
    EqNull,
    Contains(Needle),
    StartsWith(Needle),
    EndsWith(Needle),
    /// gt/ge/lt/le: holds when the candidate compares to the literal as one
    /// of the accepted orderings.
    Order(Lit, [bool; 3]),
    Present,
    /// since/until: the candidate is a date-time and its instant compares
    /// to this one as one of the accepted orderings (index: Less, Equal,
    /// Greater).
    DateOrder(Timestamp, [bool; 3]),
}

/// A typed literal.
#[derive(Clone, Debug)]
pub(crate) enum Lit {
    Str(StrLit),
    Num(Num),
    Bool(bool),
}

/// A string literal with everything a comparison may need, computed once.
#[derive(Clone, Debug)]
pub(crate) struct StrLit {
    /// The text to compare against: lower-cased under ignore-case.
    pub text: Box<str>,
    /// The text as written, for the mixed-type rules (which stay exact).
    pub exact: Box<str>,
    pub ignore_case: bool,
    pub date: Option<Timestamp>,
    pub number: Option<Num>,
    pub boolean: Option<bool>,
}

/// A co/sw/ew needle: lower-cased under ignore-case.
#[derive(Clone, Debug)]
pub(crate) struct Needle {
    pub text: Box<str>,
    pub ignore_case: bool,
}

impl StrLit {
    fn new(s: &str, ignore_case: bool) -> StrLit {
        StrLit {
            text: if ignore_case { fold(s) } else { s.to_owned() }.into(),
            exact: s.into(),
            ignore_case,
            date: Timestamp::parse(s),
            number: string_as_number(s),
            boolean: string_as_bool(s),
        }
    }

    /// Compares a string candidate to this literal: as instants when both
    /// are date-times, else as text (folded under ignore-case).
    fn cmp_str(&self, c: &str, scratch: &mut String) -> Ordering {
        if let Some(d) = self.date {
            if let Some(cd) = Timestamp::parse(c) {
                return cd.cmp(&d);
            }
        }
        if self.ignore_case {
            fold_into(c, scratch);
            scratch.as_str().cmp(&self.text)
        } else {
            c.cmp(&self.text)
        }
    }
}

impl Needle {
    fn new(s: &str, ignore_case: bool) -> Needle {
        Needle {
            text: if ignore_case { fold(s) } else { s.to_owned() }.into(),
            ignore_case,
        }
    }

    /// The candidate, folded when needed.
    fn subject<'c>(&self, c: &'c str, scratch: &'c mut String) -> &'c str {
        if self.ignore_case {
            fold_into(c, scratch);
            scratch
        } else {
            c
        }
    }
}

impl Lit {
    pub(crate) fn new(l: &Literal, ignore_case: bool) -> Lit {
        match l {
            Literal::String(s) => Lit::Str(StrLit::new(s, ignore_case)),
            Literal::Number(n) => Lit::Num(Num::parse(n).expect("the parser checked the number")),
            Literal::Bool(b) => Lit::Bool(*b),
            Literal::Null => unreachable!("null literals compile to EqNull"),
        }
    }

    /// `eq`: same type and equal, or the mixed-type rule (a string that is
    /// exactly the JSON spelling of the number or boolean). [`LitSet`]
    /// answers the same for a set of literals.
    pub(crate) fn equals(&self, c: Cand<'_>, scratch: &mut String) -> bool {
        match (self, c) {
            (Lit::Str(l), Cand::Str(s)) => l.cmp_str(s, scratch) == Ordering::Equal,
            (Lit::Str(l), Cand::Num(n)) => l
                .number
                .is_some_and(|ln| ln.cmp(n) == Some(Ordering::Equal)),
            (Lit::Str(l), Cand::Bool(b)) => l.boolean == Some(b),
            (Lit::Num(l), Cand::Num(n)) => l.cmp(n) == Some(Ordering::Equal),
            (Lit::Num(l), Cand::Str(s)) => {
                string_as_number(s).is_some_and(|sn| sn.cmp(*l) == Some(Ordering::Equal))
            }
            (Lit::Bool(l), Cand::Bool(b)) => *l == b,
            (Lit::Bool(l), Cand::Str(s)) => string_as_bool(s) == Some(*l),
            _ => false,
        }
    }

    /// The candidate's ordering relative to the literal, for gt/ge/lt/le:
    /// strings with strings (dates as instants), numbers with numbers.
    fn order(&self, c: Cand<'_>, scratch: &mut String) -> Option<Ordering> {
        match (self, c) {
            (Lit::Str(l), Cand::Str(s)) => Some(l.cmp_str(s, scratch)),
            (Lit::Num(l), Cand::Num(n)) => n.cmp(*l),
            _ => None,
        }
    }
}

fn ordering_index(o: Ordering) -> usize {
    match o {
        Ordering::Less => 0,
        Ordering::Equal => 1,
        Ordering::Greater => 2,
    }
}

impl Test {
    /// Whether one candidate satisfies the test. (For [`Test::EqNull`] this
    /// is "the candidate is null"; the leaf adds the no-candidate rule.)
    pub(crate) fn holds(&self, c: Cand<'_>, scratch: &mut String) -> bool {
        match self {
            Test::Eq(l) => l.equals(c, scratch),
            Test::In(set) => set.contains(c, scratch),
            Test::EqNull => matches!(c, Cand::Null),
            Test::Contains(n) => match c {
                Cand::Str(s) => n.subject(s, scratch).contains(&*n.text),
                _ => false,
            },
            Test::StartsWith(n) => match c {
                Cand::Str(s) => n.subject(s, scratch).starts_with(&*n.text),
                _ => false,
            },
            Test::EndsWith(n) => match c {
                Cand::Str(s) => n.subject(s, scratch).ends_with(&*n.text),
                _ => false,
            },
            Test::Order(l, accept) => l
                .order(c, scratch)
                .is_some_and(|o| accept[ordering_index(o)]),
            Test::Present => match c {
                Cand::Null => false,
                Cand::Str(s) => !s.is_empty(),
                Cand::Object { empty } => !empty,
                Cand::Bool(_) | Cand::Num(_) => true,
            },
            Test::DateOrder(t, accept) => match c {
                Cand::Str(s) => {
                    Timestamp::parse(s).is_some_and(|d| accept[ordering_index(d.cmp(t))])
                }
                _ => false,
            },
        }
    }

    /// The leaf's value from what was seen: whether any candidate existed
    /// and whether any satisfied [`holds`](Test::holds).
    pub(crate) fn result(&self, seen: bool, satisfied: bool) -> bool {
        match self {
            Test::EqNull => !seen || satisfied,
            _ => satisfied,
        }
    }
}

/// The merged paths of all leaves and value paths. Node 0 is the event.
#[derive(Clone, Debug, Default)]
pub(crate) struct Trie {
    pub nodes: Vec<TrieNode>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct TrieNode {
    /// (key, child) pairs, in insertion order.
    pub children: Vec<(Box<str>, TrieId)>,
    /// Leaves whose path ends here.
    pub leaves: Vec<LeafId>,
    /// Value paths whose path ends here.
    pub value_paths: Vec<VpId>,
}

impl Trie {
    fn new() -> Trie {
        Trie {
            nodes: vec![TrieNode::default()],
        }
    }

    fn insert(&mut self, from: TrieId, path: &[Box<str>]) -> TrieId {
        let mut at = from;
        for name in path {
            let found = self.nodes[at]
                .children
                .iter()
                .find(|(k, _)| k == name)
                .map(|&(_, c)| c);
            at = match found {
                Some(c) => c,
                None => {
                    let id = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[at].children.push((name.clone(), id));
                    id
                }
            };
        }
        at
    }

    pub(crate) fn child(&self, node: TrieId, key: &[u8]) -> Option<TrieId> {
        self.nodes[node]
            .children
            .iter()
            .find(|(k, _)| k.as_bytes() == key)
            .map(|&(_, c)| c)
    }
}

/// A compiled filter.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    pub root: Node,
    pub leaves: Vec<Leaf>,
    pub value_paths: Vec<ValuePath>,
    pub trie: Trie,
    pub keywords: Option<Keywords>,
    prefilter: Prefilter,
}

impl Program {
    pub(crate) fn new(ast: &Expr, options: &Options) -> Program {
        let mut c = Compiler {
            ignore_case: options.ignore_case,
            leaves: Vec::new(),
            value_paths: Vec::new(),
            trie: Trie::new(),
        };
        let mut root = c.node(ast, 0);
        if options.invert {
            root = Node::Not(Box::new(root));
        }
        let mut extra = Vec::new();
        let published: Box<[Box<str>]> = Box::new(["published".into()]);
        if let Some(t) = options.since {
            extra.push(c.leaf(
                0,
                published.clone(),
                Test::DateOrder(t, [false, true, true]),
            ));
        }
        if let Some(t) = options.until {
            extra.push(c.leaf(0, published, Test::DateOrder(t, [true, false, false])));
        }
        if options.keywords.is_some() {
            extra.push(Node::Keywords);
        }
        if !extra.is_empty() {
            extra.insert(0, root);
            root = Node::And(extra);
        }
        let prefilter = Prefilter::new(&root, &c.leaves, &c.value_paths);
        Program {
            root,
            leaves: c.leaves,
            value_paths: c.value_paths,
            trie: c.trie,
            keywords: options.keywords.clone(),
            prefilter,
        }
    }

    pub(crate) fn prefilter(&self) -> &Prefilter {
        &self.prefilter
    }

    /// Evaluates the boolean structure, given each leaf's and value path's
    /// result.
    pub(crate) fn eval_node(
        &self,
        node: &Node,
        leaf: &mut dyn FnMut(LeafId) -> bool,
        vp: &mut dyn FnMut(VpId) -> bool,
        keywords: &mut dyn FnMut() -> bool,
    ) -> bool {
        match node {
            Node::And(ns) => ns.iter().all(|n| self.eval_node(n, leaf, vp, keywords)),
            Node::Or(ns) => ns.iter().any(|n| self.eval_node(n, leaf, vp, keywords)),
            Node::Not(n) => !self.eval_node(n, leaf, vp, keywords),
            Node::Leaf(id) => leaf(*id),
            Node::ValuePath(id) => vp(*id),
            Node::Keywords => keywords(),
        }
    }
}

struct Compiler {
    ignore_case: bool,
    leaves: Vec<Leaf>,
    value_paths: Vec<ValuePath>,
    trie: Trie,
}

impl Compiler {
    fn leaf(&mut self, scope: TrieId, path: Box<[Box<str>]>, test: Test) -> Node {
        let node = self.trie.insert(scope, &path);
        let id = self.leaves.len();
        self.trie.nodes[node].leaves.push(id);
        self.leaves.push(Leaf { path, test });
        Node::Leaf(id)
    }

    fn node(&mut self, e: &Expr, scope: TrieId) -> Node {
        match e {
            Expr::Or(es, _) => Node::Or(self.operands(es, CompareOp::Eq, scope)),
            Expr::And(es, _) => Node::And(self.operands(es, CompareOp::Ne, scope)),
            Expr::Not(e, _) => Node::Not(Box::new(self.node(e, scope))),
            Expr::Present(p, _) => self.leaf(scope, split(&p.names), Test::Present),
            Expr::Compare(c) => {
                let path = split(&c.path.names);
                let ic = self.ignore_case;
                let text = || match &c.value {
                    Literal::String(s) => s.as_str(),
                    _ => unreachable!("the parser checked the operand type"),
                };
                let order = |accept| Test::Order(Lit::new(&c.value, ic), accept);
                let test = match (c.op, &c.value) {
                    (CompareOp::Eq | CompareOp::Ne, Literal::Null) => Test::EqNull,
                    (CompareOp::Eq | CompareOp::Ne, v) => Test::Eq(Lit::new(v, ic)),
                    (CompareOp::Co, _) => Test::Contains(Needle::new(text(), ic)),
                    (CompareOp::Sw, _) => Test::StartsWith(Needle::new(text(), ic)),
                    (CompareOp::Ew, _) => Test::EndsWith(Needle::new(text(), ic)),
                    (CompareOp::Gt, _) => order([false, false, true]),
                    (CompareOp::Ge, _) => order([false, true, true]),
                    (CompareOp::Lt, _) => order([true, false, false]),
                    (CompareOp::Le, _) => order([true, true, false]),
                };
                let leaf = self.leaf(scope, path, test);
                if c.op == CompareOp::Ne {
                    Node::Not(Box::new(leaf))
                } else {
                    leaf
                }
            }
            Expr::ValuePath(p, inner, _) => {
                let path = split(&p.names);
                let node = self.trie.insert(scope, &path);
                let (first_leaf, first_vp) = (self.leaves.len(), self.value_paths.len());
                let inner = self.node(inner, node);
                let id = self.value_paths.len();
                self.value_paths.push(ValuePath {
                    path,
                    inner,
                    leaves: (first_leaf..self.leaves.len()).collect(),
                    value_paths: (first_vp..id).collect(),
                });
                self.trie.nodes[node].value_paths.push(id);
                Node::ValuePath(id)
            }
        }
    }

    /// The operands of an `or` (`op` is `eq`) or an `and` (`op` is `ne`).
    /// Comparisons `path op literal` (literal not `null`) that share a path
    /// with another such operand become one set leaf, in the place of the
    /// first: `a eq 1 or a eq 2` is `a in {1, 2}`, and `a ne 1 and a ne 2`
    /// is `not (a in {1, 2})`. The other operands compile as they are.
    fn operands(&mut self, es: &[Expr], op: CompareOp, scope: TrieId) -> Vec<Node> {
        fn set_op(e: &Expr, op: CompareOp) -> Option<&Comparison> {
            match e {
                Expr::Compare(c) if c.op == op && !matches!(c.value, Literal::Null) => Some(c),
                _ => None,
            }
        }
        // The comparisons on each path, in filter order.
        let mut by_path: HashMap<&[String], Vec<&Comparison>> = HashMap::new();
        for c in es.iter().filter_map(|e| set_op(e, op)) {
            by_path.entry(&c.path.names).or_default().push(c);
        }
        let mut out = Vec::with_capacity(es.len());
        for e in es {
            let comparison = set_op(e, op);
            let group = comparison
                .and_then(|c| by_path.get(c.path.names.as_slice()))
                .filter(|g| g.len() > 1);
            let (Some(c), Some(group)) = (comparison, group) else {
                out.push(self.node(e, scope));
                continue;
            };
            // The set stands where its first comparison was.
            if !std::ptr::eq(c, group[0]) {
                continue;
            }
            let lits = group
                .iter()
                .map(|c| Lit::new(&c.value, self.ignore_case))
                .collect();
            let test = Test::In(Box::new(LitSet::new(lits, self.ignore_case)));
            let leaf = self.leaf(scope, split(&group[0].path.names), test);
            out.push(if op == CompareOp::Ne {
                Node::Not(Box::new(leaf))
            } else {
                leaf
            });
        }
        out
    }
}

fn split(names: &[String]) -> Box<[Box<str>]> {
    names.iter().map(|n| n.as_str().into()).collect()
}

#[cfg(test)]
mod tests {
    use super::{Node, Test};
    use crate::Filter;

    /// The root node and the leaves' tests, in a short form.
    fn shape(text: &str) -> String {
        let f = Filter::parse(text).unwrap();
        let p = f.program_for_tests();
        fn node(n: &Node, p: &super::Program) -> String {
            let list = |ns: &[Node], sep: &str| {
                ns.iter().map(|n| node(n, p)).collect::<Vec<_>>().join(sep)
            };
            match n {
                Node::And(ns) => format!("({})", list(ns, " & ")),
                Node::Or(ns) => format!("({})", list(ns, " | ")),
                Node::Not(n) => format!("!{}", node(n, p)),
                Node::Leaf(id) => {
                    let leaf = &p.leaves[*id];
                    let test = match &leaf.test {
                        Test::Eq(_) => "eq".to_owned(),
                        Test::In(set) => format!("in{}", set.lits.len()),
                        Test::EqNull => "null".to_owned(),
                        Test::Present => "pr".to_owned(),
                        _ => "other".to_owned(),
                    };
                    format!("{}:{test}", leaf.path.join("."))
                }
                Node::ValuePath(id) => format!("vp[{}]", node(&p.value_paths[*id].inner, p)),
                Node::Keywords => "q".to_owned(),
            }
        }
        node(&p.root, p)
    }

    #[test]
    fn eqs_on_one_path_become_one_set_leaf() {
        let list = (0..7000)
            .map(|i| format!(r#"ip eq "10.0.{}.{}""#, i / 256, i % 256))
            .collect::<Vec<_>>()
            .join(" or ");
        assert_eq!(shape(&list), "(ip:in7000)");
        assert_eq!(
            Filter::parse(&list)
                .unwrap()
                .program_for_tests()
                .leaves
                .len(),
            1
        );
        // Other operands stay, in place; the set stands where its first
        // `eq` was; `null` and a lone `eq` are not folded.
        assert_eq!(
            shape(r#"b pr or a eq 1 or a.x eq 2 or a eq "s" or a eq null or a eq true or a.x pr"#),
            "(b:pr | a:in3 | a.x:eq | a:null | a.x:pr)"
        );
        // `ne`s of an `and`: the negated set.
        assert_eq!(shape(r#"a ne 1 and b eq 2 and a ne 3"#), "(!a:in2 & b:eq)");
        // `eq`s of an `and`, `ne`s of an `or`: as they are.
        assert_eq!(shape(r#"a eq 1 and a eq 2"#), "(a:eq & a:eq)");
        assert_eq!(shape(r#"a ne 1 or a ne 2"#), "(!a:eq | !a:eq)");
        // Each scope groups its own operands; the same path in another
        // scope is another path.
        assert_eq!(
            shape(r#"t[a eq 1 or a eq 2] or a eq 3 or a eq 4"#),
            "(vp[(a:in2)] | a:in2)"
        );
        // Parenthesised lists are their own `or`s.
        assert_eq!(
            shape(r#"(a eq 1 or a eq 2) and (a eq 3 or b eq 4)"#),
            "((a:in2) & (a:eq | b:eq))"
        );
    }
}
