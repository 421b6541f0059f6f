//! Evaluate the IR against a `serde_json::Value`: the simple, obviously
//! correct evaluator that the bytes scanner is tested against.

use serde_json::Value;

use crate::ir::Node;
use crate::keywords::Keywords;
use crate::value::{for_each_at, Cand};

pub(crate) fn matches(root: &Node, event: &Value) -> bool {
    let mut scratch = String::new();
    eval(root, event, event, &mut scratch)
}

/// Evaluates `node` with paths relative to `scope` (the event, or the object
/// a value path is looking at). `event` is the whole event, for keywords.
fn eval(node: &Node, scope: &Value, event: &Value, scratch: &mut String) -> bool {
    match node {
        Node::And(ns) => ns.iter().all(|n| eval(n, scope, event, scratch)),
        Node::Or(ns) => ns.iter().any(|n| eval(n, scope, event, scratch)),
        Node::Not(n) => !eval(n, scope, event, scratch),
        Node::Leaf(leaf) => {
            let mut seen = false;
            let satisfied = for_each_at(scope, &leaf.path, &mut |v| {
                seen = true;
                leaf.test.holds(Cand::from_value(v), scratch)
            });
            leaf.test.result(seen, satisfied)
        }
        Node::ValuePath(vp) => {
            let mut inner_scratch = String::new();
            for_each_at(scope, &vp.path, &mut |v| {
                // Only objects can satisfy a value path.
                v.is_object() && eval(&vp.inner, v, event, &mut inner_scratch)
            })
        }
        Node::Keywords(k) => keywords_hold(k, event),
    }
}

/// Okta's `q`: every keyword is found in some string value of the event.
fn keywords_hold(k: &Keywords, event: &Value) -> bool {
    let all = k.all();
    let mut found = 0u32;
    let mut stack = vec![event];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => {
                found |= k.hits(s);
                if found == all {
                    return true;
                }
            }
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    found == all
}
