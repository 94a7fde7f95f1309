//! RAM's policy grammar, read leniently the way RAM accepts it: `Statement` as one object
//! or a list; `Action`/`Resource` (or `NotAction`/`NotResource`) as a string or a list;
//! `Principal` as `"*"` or `{"Service"|"RAM"|"Federated": string or list}`.

use serde_json::Value;

/// Parses a policy or trust document; `Err` says in plain words what is wrong.
pub fn parse(document: &str) -> Result<Document, String> {
    let v: Value = serde_json::from_str(document)
        .map_err(|e| format!("the document is not valid JSON ({e})"))?;
    let obj = v.as_object().ok_or("the document is not a JSON object")?;
    let statements = match field(obj, "Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        Some(_) => return Err("Statement is neither an object nor a list".into()),
        None => return Err("the document has no Statement".into()),
    };
    let statements = statements
        .into_iter()
        .enumerate()
        .map(|(i, s)| statement(s).map_err(|e| format!("statement {}: {e}", i + 1)))
        .collect::<Result<_, _>>()?;
    Ok(Document { statements })
}

fn statement(v: &Value) -> Result<Statement, String> {
    let obj = v.as_object().ok_or("not a JSON object")?;
    let effect = match field(obj, "Effect").and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("Allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("Deny") => Effect::Deny,
        Some(e) => return Err(format!("Effect {e:?} is neither Allow nor Deny")),
        None => return Err("no Effect".into()),
    };
    let actions = patterns(obj, "Action", "NotAction")?;
    let resources = patterns(obj, "Resource", "NotResource")?;
    let principal = field(obj, "Principal").map(principal).transpose()?;
    let conditional = match field(obj, "Condition") {
        None | Some(Value::Null) => false,
        Some(Value::Object(m)) => !m.is_empty(),
        Some(_) => return Err("Condition is not an object".into()),
    };
    Ok(Statement {
        effect,
        actions,
        resources,
        principal,
        conditional,
    })
}

fn patterns(
    obj: &serde_json::Map<String, Value>,
    name: &str,
    not_name: &str,
) -> Result<Patterns, String> {
    match (field(obj, name), field(obj, not_name)) {
        (Some(_), Some(_)) => Err(format!("both {name} and {not_name}")),
        (Some(v), None) => strings(v, name).map(Patterns::Listed),
        (None, Some(v)) => strings(v, not_name).map(Patterns::Except),
        (None, None) => Ok(Patterns::Missing),
    }
}

fn principal(v: &Value) -> Result<Principal, String> {
    let mut p = Principal::default();
    match v {
        Value::String(s) if s == "*" => p.anyone = true,
        Value::Object(m) => {
            for (kind, names) in m {
                let names = strings(names, &format!("Principal.{kind}"))?;
                if kind.eq_ignore_ascii_case("Service") {
                    p.services.extend(names);
                } else {
                    p.others.extend(names);
                }
            }
        }
        _ => return Err("Principal is neither \"*\" nor an object".into()),
    }
    Ok(p)
}

fn strings(v: &Value, name: &str) -> Result<Vec<String>, String> {
    let list: Vec<&Value> = match v {
        Value::String(_) => vec![v],
        Value::Array(a) => a.iter().collect(),
        _ => return Err(format!("{name} is neither a string nor a list")),
    };
    list.into_iter()
        .map(|x| {
            x.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{name} holds a non-string"))
        })
        .collect()
}

/// RAM's element names are matched case-insensitively (the console accepts `action`).
fn field<'a>(obj: &'a serde_json::Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub effect: Effect,
    pub actions: Patterns,
    pub resources: Patterns,
    pub principal: Option<Principal>,
    /// A non-empty `Condition`: the statement applies only sometimes.
    pub conditional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patterns {
    /// `Action`/`Resource`: the listed patterns.
    Listed(Vec<String>),
    /// `NotAction`/`NotResource`: everything except the listed patterns.
    Except(Vec<String>),
    Missing,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Principal {
    /// `"*"`.
    pub anyone: bool,
    pub services: Vec<String>,
    /// `RAM`, `Federated` and any other kind.
    pub others: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_or_lists_and_one_statement_or_many() {
        let d = parse(
            r#"{"Version":"1","Statement":{"Effect":"Deny","Action":"ecs:*","Resource":["*"]}}"#,
        )
        .unwrap();
        assert_eq!(d.statements.len(), 1);
        assert_eq!(d.statements[0].effect, Effect::Deny);
        assert_eq!(
            d.statements[0].actions,
            Patterns::Listed(vec!["ecs:*".into()])
        );
        assert_eq!(
            d.statements[0].resources,
            Patterns::Listed(vec!["*".into()])
        );
        assert!(!d.statements[0].conditional);

        let d = parse(r#"{"Statement":[{"Effect":"Allow","NotAction":["ram:*"],"Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}]}"#).unwrap();
        assert_eq!(
            d.statements[0].actions,
            Patterns::Except(vec!["ram:*".into()])
        );
        assert!(d.statements[0].conditional);
    }

    #[test]
    fn principal_forms() {
        let d = parse(r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ecs.aliyuncs.com","RAM":["acs:ram::1:root"]}}]}"#).unwrap();
        let p = d.statements[0].principal.clone().unwrap();
        assert_eq!(p.services, vec!["ecs.aliyuncs.com".to_string()]);
        assert_eq!(p.others, vec!["acs:ram::1:root".to_string()]);
        assert!(!p.anyone);
        let d = parse(
            r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":"*"}]}"#,
        )
        .unwrap();
        assert!(d.statements[0].principal.as_ref().unwrap().anyone);
    }

    #[test]
    fn bad_documents_say_why() {
        let err = |doc: &str| parse(doc).unwrap_err();
        assert!(err("not json").contains("not valid JSON"));
        assert_eq!(err(r#"{"Version":"1"}"#), "the document has no Statement");
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Maybe","Action":"*"}]}"#),
            r#"statement 1: Effect "Maybe" is neither Allow nor Deny"#
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Action":[1]}]}"#),
            "statement 1: Action holds a non-string"
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Action":"a","NotAction":"b"}]}"#),
            "statement 1: both Action and NotAction"
        );
    }
}
