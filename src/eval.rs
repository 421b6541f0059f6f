//! Evaluate the IR against an event tree: a `serde_json::Value`, or any
//! tree behind [`Access`] (the Python binding's dicts). The simple,
//! obviously correct evaluator that the bytes scanner is tested against.

use crate::access::{Access, Kind};
use crate::ir::Node;
use crate::keywords::Keywords;
use crate::value::{for_each_at, Cand};

pub(crate) fn matches<V: Access>(root: &Node, event: &V) -> Result<bool, V::Error> {
    let mut scratch = String::new();
    eval(root, event, event, &mut scratch)
}

/// Evaluates `node` with paths relative to `scope` (the event, or the object
/// a value path is looking at). `event` is the whole event, for keywords.
fn eval<V: Access>(
    node: &Node,
    scope: &V,
    event: &V,
    scratch: &mut String,
) -> Result<bool, V::Error> {
    match node {
        Node::And(ns) => {
            for n in ns {
                if !eval(n, scope, event, scratch)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Node::Or(ns) => {
            for n in ns {
                if eval(n, scope, event, scratch)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Node::Not(n) => Ok(!eval(n, scope, event, scratch)?),
        Node::Leaf(leaf) => {
            let mut seen = false;
            let satisfied = for_each_at(scope, &leaf.path, &mut |_, kind| {
                seen = true;
                Ok(leaf.test.holds(Cand::from_kind(&kind), scratch))
            })?;
            Ok(leaf.test.result(seen, satisfied))
        }
        Node::ValuePath(vp) => {
            let mut inner_scratch = String::new();
            for_each_at(scope, &vp.path, &mut |v, kind| {
                // Only objects can satisfy a value path.
                Ok(matches!(kind, Kind::Object { .. })
                    && eval(&vp.inner, v, event, &mut inner_scratch)?)
            })
        }
        Node::Keywords(k) => keywords_hold(k, event),
        Node::Anywhere(test) => {
            let mut stack = vec![event.clone()];
            while let Some(v) = stack.pop() {
                match v.kind()? {
                    Kind::String(s) if test.holds(Cand::Str(&s), scratch) => return Ok(true),
                    Kind::Array => v.elements(&mut |x| stack.push(x))?,
                    Kind::Object { .. } => v.values(&mut |x| stack.push(x))?,
                    _ => {}
                }
            }
            Ok(false)
        }
    }
}

/// Okta's `q`: every keyword is found in some string value of the event.
fn keywords_hold<V: Access>(k: &Keywords, event: &V) -> Result<bool, V::Error> {
    let all = k.all();
    let mut found = 0u32;
    let mut stack = vec![event.clone()];
    while let Some(v) = stack.pop() {
        match v.kind()? {
            Kind::String(s) => {
                found |= k.hits(&s);
                if found == all {
                    return Ok(true);
                }
            }
            Kind::Array => v.elements(&mut |x| stack.push(x))?,
            Kind::Object { .. } => v.values(&mut |x| stack.push(x))?,
            _ => {}
        }
    }
    Ok(found == all)
}
