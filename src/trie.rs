//! The bytes scanner's index, built from the IR ([`crate::ir`]): every leaf
//! and value path numbered, and the paths of all leaves and value paths
//! merged into one [`Trie`] that the scanner follows through an event. The
//! scanner keeps one "seen" and one "satisfied" bit per leaf and evaluates
//! the numbered boolean structure over them at the end.
//!
//! One index may hold the IRs of many filters ([`Index::many`], for
//! [`FilterSet`](crate::FilterSet)): one [`Root`] per filter, their leaves
//! and value paths numbered one after the other, each marked with its
//! owner (the root's number), and all their paths in the one trie, so one
//! pass over an event feeds every filter. A [`Filter`](crate::Filter)'s own
//! index is the case of one root.

use std::sync::Arc;

use crate::ir::{self, Test};
use crate::keywords::Keywords;

/// Index of a leaf in [`Index::leaves`].
pub(crate) type LeafId = usize;
/// Index of a value path in [`Index::value_paths`].
pub(crate) type VpId = usize;
/// Index of a node in [`Trie::nodes`].
pub(crate) type TrieId = usize;
/// Index of a root in [`Index::roots`] (of a filter in its set).
pub(crate) type RootId = usize;
/// Index of a keyword search in [`Index::keywords`].
pub(crate) type KeywordsId = usize;

/// The boolean structure of the filter, over numbered leaves.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Leaf(LeafId),
    ValuePath(VpId),
    Keywords(KeywordsId),
}

/// A numbered leaf: its test (its path is in the trie) and the root it
/// belongs to.
#[derive(Clone, Debug)]
pub(crate) struct Leaf {
    pub test: Arc<Test>,
    pub owner: RootId,
}

/// A numbered value path `path[inner]`.
#[derive(Clone, Debug)]
pub(crate) struct ValuePath {
    pub inner: Node,
    /// The leaves and value paths inside `inner` (at any depth), which are
    /// reset for each object the scanner visits.
    pub leaves: Vec<LeafId>,
    pub value_paths: Vec<VpId>,
    pub owner: RootId,
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

/// Okta's `q` keywords of one root.
#[derive(Clone, Debug)]
pub(crate) struct KeywordSearch {
    pub keywords: Keywords,
    pub owner: RootId,
}

/// The boolean structure of one filter in the index.
#[derive(Clone, Debug)]
pub(crate) struct Root {
    pub node: Node,
    /// The root's keyword search, if it has one: one positive conjunct of
    /// the root, never under a `not` (see `lower.rs`).
    pub keywords: Option<KeywordsId>,
}

/// The scanner's view of a filter, or of many.
#[derive(Clone, Debug)]
pub(crate) struct Index {
    pub roots: Vec<Root>,
    pub leaves: Vec<Leaf>,
    pub value_paths: Vec<ValuePath>,
    pub trie: Trie,
    pub keywords: Vec<KeywordSearch>,
    /// The leaves offered every string of the event (`ir::Node::Anywhere`).
    pub anywhere: Vec<LeafId>,
}

impl Index {
    /// The index of one filter: one root.
    pub(crate) fn new(ir: &ir::Node) -> Index {
        Index::many(std::iter::once(ir))
    }

    /// The index of many filters, root `i` the `i`-th IR.
    pub(crate) fn many<'a>(irs: impl IntoIterator<Item = &'a ir::Node>) -> Index {
        let mut b = Builder {
            leaves: Vec::new(),
            value_paths: Vec::new(),
            trie: Trie::new(),
            keywords: Vec::new(),
            owner: 0,
            anywhere: Vec::new(),
        };
        let mut roots = Vec::new();
        for (owner, ir) in irs.into_iter().enumerate() {
            b.owner = owner;
            let first_keywords = b.keywords.len();
            let node = b.node(ir, 0);
            debug_assert!(b.keywords.len() <= first_keywords + 1);
            roots.push(Root {
                node,
                keywords: (b.keywords.len() > first_keywords).then_some(first_keywords),
            });
        }
        Index {
            roots,
            leaves: b.leaves,
            value_paths: b.value_paths,
            trie: b.trie,
            keywords: b.keywords,
            anywhere: b.anywhere,
        }
    }

    /// Evaluates the boolean structure, given each leaf's and value path's
    /// result.
    pub(crate) fn eval_node(
        &self,
        node: &Node,
        leaf: &mut dyn FnMut(LeafId) -> bool,
        vp: &mut dyn FnMut(VpId) -> bool,
        keywords: &mut dyn FnMut(KeywordsId) -> bool,
    ) -> bool {
        match node {
            Node::And(ns) => ns.iter().all(|n| self.eval_node(n, leaf, vp, keywords)),
            Node::Or(ns) => ns.iter().any(|n| self.eval_node(n, leaf, vp, keywords)),
            Node::Not(n) => !self.eval_node(n, leaf, vp, keywords),
            Node::Leaf(id) => leaf(*id),
            Node::ValuePath(id) => vp(*id),
            Node::Keywords(id) => keywords(*id),
        }
    }
}

struct Builder {
    leaves: Vec<Leaf>,
    value_paths: Vec<ValuePath>,
    trie: Trie,
    keywords: Vec<KeywordSearch>,
    /// The root being built.
    owner: RootId,
    anywhere: Vec<LeafId>,
}

impl Builder {
    fn node(&mut self, n: &ir::Node, scope: TrieId) -> Node {
        match n {
            ir::Node::And(ns) => Node::And(ns.iter().map(|n| self.node(n, scope)).collect()),
            ir::Node::Or(ns) => Node::Or(ns.iter().map(|n| self.node(n, scope)).collect()),
            ir::Node::Not(n) => Node::Not(Box::new(self.node(n, scope))),
            ir::Node::Leaf(l) => {
                let at = self.trie.insert(scope, &l.path);
                let id = self.leaves.len();
                self.trie.nodes[at].leaves.push(id);
                self.leaves.push(Leaf {
                    test: l.test.clone(),
                    owner: self.owner,
                });
                Node::Leaf(id)
            }
            ir::Node::ValuePath(vp) => {
                let at = self.trie.insert(scope, &vp.path);
                let (first_leaf, first_vp) = (self.leaves.len(), self.value_paths.len());
                let inner = self.node(&vp.inner, at);
                let id = self.value_paths.len();
                self.value_paths.push(ValuePath {
                    inner,
                    leaves: (first_leaf..self.leaves.len()).collect(),
                    value_paths: (first_vp..id).collect(),
                    owner: self.owner,
                });
                self.trie.nodes[at].value_paths.push(id);
                Node::ValuePath(id)
            }
            ir::Node::Keywords(k) => {
                self.keywords.push(KeywordSearch {
                    keywords: k.clone(),
                    owner: self.owner,
                });
                Node::Keywords(self.keywords.len() - 1)
            }
            ir::Node::Anywhere(test) => {
                let id = self.leaves.len();
                self.leaves.push(Leaf {
                    test: test.clone(),
                    owner: self.owner,
                });
                self.anywhere.push(id);
                Node::Leaf(id)
            }
        }
    }
}
