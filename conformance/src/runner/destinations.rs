//! Where a valid request sends its message. The channels are the contract's (`x-destination`
//! markers on request properties, see [`crate::markers`]); the profile's `deliver_to`, keyed
//! by those properties, replaces them on live targets, and the mock's outbox records each as
//! `{channel, to}`.

use serde_json::Value;

use crate::markers::Channel;
use crate::profile::DeliverTo;

/// `(channel, to)` pairs a request names, in the contract's channel order.
pub fn named(channels: &[Channel], body: &Value) -> Vec<(String, String)> {
    channels
        .iter()
        .filter_map(|c| Some((c.name.clone(), c.destination(body)?)))
        .collect()
}

/// Points every channel the body names at `to`; fails when `to` lacks a part of that channel.
pub fn redirect(channels: &[Channel], body: &mut Value, to: &DeliverTo) -> Result<(), String> {
    let named: Vec<&Channel> = channels.iter().filter(|c| c.is_named(body)).collect();
    for channel in named {
        let Some(obj) = body.as_object_mut() else {
            return Ok(());
        };
        for field in &channel.fields {
            let value = to.get(field).ok_or_else(|| {
                format!(
                    "the request sends by `{}`, but deliver_to has no `{field}` (it needs: {})",
                    channel.name,
                    channel.fields.join(", ")
                )
            })?;
            obj.insert(field.clone(), Value::String(value.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn channels() -> Vec<Channel> {
        vec![
            Channel {
                name: "mail".into(),
                fields: vec!["to".into()],
            },
            Channel {
                name: "text".into(),
                fields: vec!["cc".into(), "phone".into()],
            },
        ]
    }

    fn to(pairs: &[(&str, &str)]) -> DeliverTo {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn redirect_replaces_only_named_channels() {
        let ch = channels();
        let all = to(&[("to", "qa@example.com"), ("cc", "+47"), ("phone", "41111111")]);
        let mut b = json!({"to": "a@b.no", "cc": null, "phone": null});
        redirect(&ch, &mut b, &all).unwrap();
        assert_eq!(b, json!({"to": "qa@example.com", "cc": null, "phone": null}));
        assert_eq!(
            named(&ch, &b),
            [("mail".to_string(), "qa@example.com".to_string())]
        );
        let mut b = json!({"cc": "+46", "phone": "123456"});
        redirect(&ch, &mut b, &all).unwrap();
        assert_eq!(named(&ch, &b), [("text".to_string(), "+4741111111".to_string())]);
        let e = redirect(&ch, &mut b, &to(&[("to", "qa@example.com"), ("cc", "+47")])).unwrap_err();
        assert!(e.contains("`text`") && e.contains("`phone`"), "{e}");
    }
}
