//! Evaluate a program against a `serde_json::Value`: the simple, obviously
//! correct evaluator that the bytes evaluator is tested against.

use serde_json::Value;

use crate::compile::{Node, Program};
use crate::value::{for_each_at, Cand};

pub(crate) fn matches(p: &Program, event: &Value) -> bool {
    let mut scratch = String::new();
    eval(p, &p.root, event, event, &mut scratch)
}

/// Evaluates `node` with paths relative to `scope` (the event, or the object
/// a value path is looking at). `event` is the whole event, for keywords.
fn eval(p: &Program, node: &Node, scope: &Value, event: &Value, scratch: &mut String) -> bool {
    p.eval_node(
        node,
        &mut |id| {
            let leaf = &p.leaves[id];
            let mut seen = false;
            let satisfied = for_each_at(scope, &leaf.path, &mut |v| {
                seen = true;
                leaf.test.holds(Cand::from_value(v), scratch)
            });
            leaf.test.result(seen, satisfied)
        },
        &mut |id| {
            let vp = &p.value_paths[id];
            let mut inner_scratch = String::new();
            for_each_at(scope, &vp.path, &mut |v| {
                // Only objects can satisfy a value path.
                v.is_object() && eval(p, &vp.inner, v, event, &mut inner_scratch)
            })
        },
        &mut || keywords_hold(p, event),
    )
}

/// Okta's `q`: every keyword is found in some string value of the event.
fn keywords_hold(p: &Program, event: &Value) -> bool {
    let Some(k) = &p.keywords else { return true };
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
