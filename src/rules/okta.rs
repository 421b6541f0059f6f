//! Okta's customer-detections format: the filter in
//! `detection.okta_systemlog.OIE` (or `Classic`).
//!
//! ```yaml
//! title: New AD Agent Created
//! id: ca0a00420e4f4c2bb078ee6491484994
//! detection:
//!   okta_systemlog:
//!     OIE: |
//!       eventType eq "system.agent.ad.create"
//! ```

use super::yaml::Node;
use super::{filter_text, optional_str, refused, required_str, Engine, Format, Refused, Spec, Why};

pub(super) fn read(root: &Node, detection: &Node, engine: Engine) -> Result<Spec, Refused> {
    let id = required_str(root, "id")?;
    let title = required_str(root, "title")?;
    let Some(systemlog) = detection.get("okta_systemlog") else {
        if detection.get("splunk").is_some() {
            return Err(refused(
                Why::Counting,
                "counts events by a key over a period; the filter language cannot say this \
                 (the rule has only a `splunk` query)",
            ));
        }
        return Err(refused(
            Why::Invalid,
            "no filter: `detection` has no `okta_systemlog`",
        ));
    };
    let Some(node) = systemlog.get(engine.key()) else {
        let other = match engine {
            Engine::Oie => Engine::Classic,
            Engine::Classic => Engine::Oie,
        };
        let mut r = refused(
            Why::Engine,
            format!("no `{}` filter in `detection.okta_systemlog`", engine.key()),
        );
        if systemlog.get(other.key()).is_some() {
            r.help = Some(format!(
                "it has a `{}` filter: --engine {}",
                other.key(),
                other.key().to_lowercase()
            ));
        }
        return Err(r);
    };
    let (text, place) = filter_text(node).ok_or_else(|| {
        refused(
            Why::Invalid,
            format!(
                "`detection.okta_systemlog.{}` must be the filter's text, not {}",
                engine.key(),
                node.what()
            ),
        )
    })?;
    if text.is_empty() {
        return Err(refused(
            Why::Invalid,
            format!("`detection.okta_systemlog.{}` is empty", engine.key()),
        ));
    }
    Ok(Spec {
        id,
        title,
        level: None,
        status: optional_str(root, "status").unwrap_or(None),
        description: optional_str(root, "description").unwrap_or(None),
        format: Format::Okta,
        text,
        place,
        ignore_case: false,
        keywords: None,
        warnings: Vec::new(),
        sigma: None,
    })
}
