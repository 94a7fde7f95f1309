//! Answer bodies: JSON, or XML for RPC v1 calls that did not ask for JSON (reference §2.2).

use serde_json::{json, Value};

use crate::errors::ApiError;

pub fn error_body(err: &ApiError, request_id: &str, host_id: &str, product: &str) -> Value {
    json!({
        "RequestId": request_id,
        "HostId": host_id,
        "Code": err.code,
        "Message": err.message,
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={}&product={product}&requestId={request_id}", err.code),
    })
}

/// XML with the two-level wrappers: arrays repeat their key's element.
pub fn to_xml(root: &str, value: &Value) -> String {
    let mut out = String::from("<?xml version='1.0' encoding='UTF-8'?>");
    element(&mut out, root, value);
    out
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for item in items {
                element(out, name, item);
            }
        }
        Value::Object(map) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in map {
                element(out, k, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", escape(s))),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_repeats_list_items() {
        let v = json!({"RequestId": "R", "Regions": {"Region": [{"RegionId": "a"}, {"RegionId": "b&c"}]}});
        assert_eq!(
            to_xml("DescribeRegionsResponse", &v),
            "<?xml version='1.0' encoding='UTF-8'?><DescribeRegionsResponse><Regions><Region><RegionId>a</RegionId></Region><Region><RegionId>b&amp;c</RegionId></Region></Regions><RequestId>R</RequestId></DescribeRegionsResponse>"
        );
    }

    #[test]
    fn error_has_alibabas_fields() {
        let e = error_body(
            &ApiError::missing("RegionId"),
            "RID",
            "ecs.aliyuncs.com",
            "Ecs",
        );
        for k in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
            assert!(e.get(k).is_some(), "{k}");
        }
        assert!(e["Recommend"]
            .as_str()
            .unwrap()
            .contains("q=MissingParameter"));
    }
}
