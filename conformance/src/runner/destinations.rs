//! Where a valid request sends the link. Request bodies name an email address and/or a phone
//! number (`countryCode` + `msisdn`); the profile's `deliver_to` (`email`, `country_code`,
//! `msisdn`) replaces them on live targets, and the mock's outbox records them as
//! `{channel: email|sms, to}`. These field names are the one place the runner knows the
//! request's shape, and they are shared with the profile format.

use serde_json::Value;

use crate::profile::DeliverTo;

const EMAIL: &str = "email";
const COUNTRY_CODE: &str = "countryCode";
const MSISDN: &str = "msisdn";

fn named_str<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str)
}

/// `(channel, to)` pairs a request names, email first.
pub fn named(body: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(e) = named_str(body, EMAIL) {
        out.push(("email".to_string(), e.to_string()));
    }
    if let (Some(c), Some(m)) = (named_str(body, COUNTRY_CODE), named_str(body, MSISDN)) {
        out.push(("sms".to_string(), format!("{c}{m}")));
    }
    out
}

/// Points every channel the body names at `to`; fails when `to` lacks that channel.
pub fn redirect(body: &mut Value, to: &DeliverTo) -> Result<(), String> {
    let Some(obj) = body.as_object_mut() else {
        return Ok(());
    };
    if obj.get(EMAIL).is_some_and(Value::is_string) {
        let email = to
            .email
            .as_ref()
            .ok_or("the request sends an email, but deliver_to has no `email`")?;
        obj.insert(EMAIL.into(), Value::String(email.clone()));
    }
    if obj.get(MSISDN).is_some_and(Value::is_string) || obj.get(COUNTRY_CODE).is_some_and(Value::is_string) {
        let (Some(c), Some(m)) = (&to.country_code, &to.msisdn) else {
            return Err("the request sends an SMS, but deliver_to lacks `country_code` or `msisdn`".into());
        };
        obj.insert(COUNTRY_CODE.into(), Value::String(c.clone()));
        obj.insert(MSISDN.into(), Value::String(m.clone()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redirect_replaces_only_named_channels() {
        let to = DeliverTo {
            email: Some("qa@example.com".into()),
            country_code: Some("+47".into()),
            msisdn: Some("41111111".into()),
        };
        let mut b = json!({"email": "a@b.no", "countryCode": null, "msisdn": null});
        redirect(&mut b, &to).unwrap();
        assert_eq!(
            b,
            json!({"email": "qa@example.com", "countryCode": null, "msisdn": null})
        );
        assert_eq!(named(&b), [("email".to_string(), "qa@example.com".to_string())]);
        let mut b = json!({"countryCode": "+46", "msisdn": "123456"});
        redirect(&mut b, &to).unwrap();
        assert_eq!(named(&b), [("sms".to_string(), "+4741111111".to_string())]);
        let no_sms = DeliverTo {
            email: Some("qa@example.com".into()),
            country_code: None,
            msisdn: None,
        };
        assert!(redirect(&mut b, &no_sms).unwrap_err().contains("SMS"));
    }
}
