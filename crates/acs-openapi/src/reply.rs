//! A reply's body as the client sees it: a 2xx JSON object, or a typed error.

use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{AcsError, ServiceError};
use crate::retry::throttle_time_left;

/// A 2xx body that starts as a JSON object is success, left undecoded (a page of 100
/// instances is decoded once, straight into its typed reply); anything else becomes a
/// typed error keyed on `Code`. A throttled reply keeps the wait its headers ask for.
pub(crate) fn check_reply(
    action: &str,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), AcsError> {
    if (200..300).contains(&status) {
        return match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Ok(()),
            _ => Err(not_an_object(action, status, body, None)),
        };
    }
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let field = |names: &[&str]| {
        json.as_ref().and_then(|v| {
            names
                .iter()
                .find_map(|n| v.get(*n).and_then(Value::as_str).map(str::to_string))
        })
    };
    let request_id = field(&["RequestId", "requestId"]);
    match field(&["Code", "code"]) {
        Some(code) => Err(AcsError::Service(Box::new(ServiceError {
            action: action.to_string(),
            retry_after: code
                .starts_with("Throttling")
                .then(|| throttle_time_left(headers))
                .flatten(),
            code,
            message: field(&["Message", "message"]).unwrap_or_default(),
            request_id,
            recommend: field(&["Recommend", "recommend"]),
            http_status: status,
        }))),
        None => Err(AcsError::Unparseable {
            action: action.to_string(),
            http_status: status,
            request_id,
            message: format!("error reply without a Code: {}", snippet(body)),
        }),
    }
}

/// A 2xx body decoded as the JSON object `check_reply` let through.
pub(crate) fn reply_object(action: &str, body: &[u8]) -> Result<Value, AcsError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(v) if v.is_object() => Ok(v),
        _ => Err(not_an_object(action, 200, body, None)),
    }
}

/// A 2xx body decoded straight into `T`; when it does not fit, the error says whether it
/// was JSON at all, with the reply's RequestId when it has one.
pub(crate) fn reply_typed<T: serde::de::DeserializeOwned>(
    action: &str,
    body: &[u8],
) -> Result<T, AcsError> {
    serde_json::from_slice::<T>(body).map_err(|e| {
        let request_id = request_id_in(body);
        match serde_json::from_slice::<Value>(body) {
            Ok(v) if v.is_object() => AcsError::Unparseable {
                action: action.to_string(),
                http_status: 200,
                request_id,
                message: format!("reply does not match the expected shape: {e}"),
            },
            _ => not_an_object(action, 200, body, request_id),
        }
    })
}

fn not_an_object(action: &str, status: u16, body: &[u8], request_id: Option<String>) -> AcsError {
    AcsError::Unparseable {
        action: action.to_string(),
        http_status: status,
        request_id,
        message: format!("expected a JSON object, got: {}", snippet(body)),
    }
}

/// The `RequestId` of a successful reply, read without building the rest of it.
pub(crate) fn request_id_in(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Id {
        #[serde(rename = "RequestId")]
        request_id: Option<String>,
    }
    serde_json::from_slice::<Id>(body).ok()?.request_id
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut s: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn error_reply_is_keyed_on_code() {
        let body = br#"{"RequestId":"R1","HostId":"ecs.aliyuncs.com","Code":"Throttling.User","Message":"slow down","Recommend":"https://api.aliyun.com/troubleshoot?q=Throttling.User"}"#;
        let e = check_reply("DescribeInstances", 400, &HeaderMap::new(), body).unwrap_err();
        let s = e.service().unwrap();
        assert_eq!(s.code, "Throttling.User");
        assert_eq!(s.message, "slow down");
        assert_eq!(s.request_id.as_deref(), Some("R1"));
        assert!(s.recommend.as_deref().unwrap().contains("troubleshoot"));
        assert_eq!(s.http_status, 400);
    }

    #[test]
    fn throttled_replies_keep_the_wait_their_headers_ask_for() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-ratelimit-user-api",
            "Limit:100,Remain:0,TimeLeft:1500,Reset:1".parse().unwrap(),
        );
        let body = br#"{"RequestId":"R1","Code":"Throttling.Api","Message":"slow down"}"#;
        let e = check_reply("DescribeInstances", 400, &headers, body).unwrap_err();
        assert_eq!(
            e.service().unwrap().retry_after,
            Some(Duration::from_millis(1500))
        );
        // The same headers on another error are no reason to wait.
        let body = br#"{"RequestId":"R2","Code":"ServiceUnavailable","Message":"m"}"#;
        let e = check_reply("DescribeInstances", 503, &headers, body).unwrap_err();
        assert_eq!(e.service().unwrap().retry_after, None);
    }

    #[test]
    fn lowercase_error_fields_are_read_too() {
        let e = check_reply(
            "A",
            404,
            &HeaderMap::new(),
            br#"{"requestId":"r","code":"X.NotFound","message":"m"}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), Some("X.NotFound"));
        assert_eq!(e.request_id(), Some("r"));
    }

    #[test]
    fn non_json_or_codeless_replies_are_unparseable() {
        let e = check_reply("A", 502, &HeaderMap::new(), b"<html>Bad Gateway</html>").unwrap_err();
        assert!(
            matches!(
                e,
                AcsError::Unparseable {
                    http_status: 502,
                    ..
                }
            ),
            "{e}"
        );
        let e = check_reply("A", 200, &HeaderMap::new(), b"not json").unwrap_err();
        assert!(matches!(
            e,
            AcsError::Unparseable {
                http_status: 200,
                ..
            }
        ));
        let e = check_reply("A", 500, &HeaderMap::new(), br#"{"RequestId":"R"}"#).unwrap_err();
        assert_eq!(e.request_id(), Some("R"));
    }

    #[test]
    fn success_is_the_json_object() {
        let body = br#" {"RequestId":"R","X":1}"#;
        check_reply("A", 200, &HeaderMap::new(), body).unwrap();
        assert_eq!(reply_object("A", body).unwrap()["X"], 1);
        assert_eq!(request_id_in(body).as_deref(), Some("R"));
        let e = reply_object("A", b"[1]").unwrap_err();
        assert!(e.to_string().contains("expected a JSON object"), "{e}");
    }

    #[test]
    fn a_typed_reply_is_decoded_from_the_bytes_and_a_misfit_names_its_request() {
        #[derive(Deserialize, Debug)]
        struct Reply {
            #[serde(rename = "X")]
            x: u32,
        }
        let r: Reply = reply_typed("A", br#"{"RequestId":"R","X":7}"#).unwrap();
        assert_eq!(r.x, 7);
        let e = reply_typed::<Reply>("A", br#"{"RequestId":"R9","X":"seven"}"#).unwrap_err();
        assert!(
            matches!(&e, AcsError::Unparseable { http_status: 200, request_id: Some(r), message, .. }
                if r == "R9" && message.starts_with("reply does not match the expected shape")),
            "{e:?}"
        );
        let e = reply_typed::<Reply>("A", br#"{"RequestId":"R3","X":"#).unwrap_err();
        assert!(e.to_string().contains("expected a JSON object"), "{e}");
    }
}
