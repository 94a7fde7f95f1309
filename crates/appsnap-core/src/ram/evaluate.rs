//! Does a document do what ours does? A policy must grant each of [`SNAPSHOT_ACTIONS`]
//! on Resource `*` unconditionally; a trust policy must let `ecs.aliyuncs.com` assume
//! the role.
//!
//! Assumptions (RAM's documented grammar, read conservatively so a "yes" is never wrong):
//! - Action patterns use `*` (any run) and `?` (one character) and match
//!   case-insensitively, as RAM matches action names.
//! - A required action is itself a pattern (`ecs:DescribeSnapshot*`): a grant must
//!   cover every action it matches (`ecs:*`, `ecs:Describe*`, `*` do; the single
//!   `ecs:DescribeSnapshots` does not).
//! - A grant counts only on Resource `*` (a pattern that covers everything), with no
//!   Condition and without `NotResource`.
//! - An explicit Deny wins as soon as it *may* apply: any overlap of actions, any
//!   resource, with or without a Condition.

use super::documents::{ASSUME_ROLE, ECS_SERVICE, SNAPSHOT_ACTIONS};
use super::grammar::{self, Document, Effect, Patterns, Statement};
use super::types::{Evaluation, Finding};

/// Whether `document` grants every snapshot action; an unreadable one grants nothing.
pub fn evaluate_policy(document: &str) -> Evaluation {
    let doc = match grammar::parse(document) {
        Ok(d) => d,
        Err(e) => return unreadable(&SNAPSHOT_ACTIONS.map(str::to_owned), &e),
    };
    let findings: Vec<Finding> = SNAPSHOT_ACTIONS
        .iter()
        .map(|action| grant(&doc, action))
        .collect();
    Evaluation {
        sufficient: findings.iter().all(|f| f.holds),
        findings,
    }
}

/// Whether `document` (a role's trust policy) lets ECS instances assume the role.
pub fn evaluate_trust(document: &str) -> Evaluation {
    let subject = format!("{ASSUME_ROLE} by {ECS_SERVICE}");
    let doc = match grammar::parse(document) {
        Ok(d) => d,
        Err(e) => return unreadable(&[subject], &e),
    };
    let names_ecs = |s: &Statement| {
        s.principal.as_ref().is_some_and(|p| {
            p.services
                .iter()
                .any(|svc| svc.eq_ignore_ascii_case(ECS_SERVICE))
        })
    };
    let denied = doc.statements.iter().position(|s| {
        s.effect == Effect::Deny
            && may_match(&s.actions, ASSUME_ROLE)
            && s.principal
                .as_ref()
                .is_none_or(|p| p.anyone || names_ecs(s))
    });
    let allowed = doc.statements.iter().position(|s| {
        s.effect == Effect::Allow
            && !s.conditional
            && covers_all(&s.actions, ASSUME_ROLE)
            && names_ecs(s)
    });
    let (holds, reason) = match (denied, allowed) {
        (Some(i), _) => (false, format!("statement {} denies it", i + 1)),
        (None, Some(i)) => (true, format!("statement {} allows it", i + 1)),
        (None, None) => (
            false,
            format!("no unconditional Allow of {ASSUME_ROLE} names the service {ECS_SERVICE}"),
        ),
    };
    Evaluation {
        sufficient: holds,
        findings: vec![Finding {
            subject,
            holds,
            reason,
        }],
    }
}

fn grant(doc: &Document, action: &str) -> Finding {
    let finding = |holds, reason| Finding {
        subject: action.to_owned(),
        holds,
        reason,
    };
    if let Some(i) = doc
        .statements
        .iter()
        .position(|s| s.effect == Effect::Deny && may_match(&s.actions, action))
    {
        return finding(false, format!("statement {} denies it", i + 1));
    }
    let allows = |s: &Statement| {
        s.effect == Effect::Allow
            && covers_all(&s.actions, action)
            && matches!(&s.resources, Patterns::Listed(r) if r.iter().any(|p| covers(p, "*")))
    };
    match doc
        .statements
        .iter()
        .position(|s| allows(s) && !s.conditional)
    {
        Some(i) => finding(true, format!("statement {} allows it on \"*\"", i + 1)),
        None => match doc.statements.iter().position(allows) {
            Some(i) => finding(
                false,
                format!("statement {} allows it only under a Condition", i + 1),
            ),
            None => finding(
                false,
                "no statement allows all of it on Resource \"*\"".to_owned(),
            ),
        },
    }
}

fn unreadable(subjects: &[String], why: &str) -> Evaluation {
    Evaluation {
        sufficient: false,
        findings: subjects
            .iter()
            .map(|s| Finding {
                subject: s.clone(),
                holds: false,
                reason: format!("unreadable document: {why}"),
            })
            .collect(),
    }
}

/// Do the statement's action patterns cover every action `wanted` matches?
fn covers_all(actions: &Patterns, wanted: &str) -> bool {
    match actions {
        Patterns::Listed(list) => list.iter().any(|p| covers(p, wanted)),
        // Everything except the list: covers `wanted` if no excluded action overlaps it.
        Patterns::Except(list) => !list.iter().any(|p| overlaps(p, wanted)),
        Patterns::Missing => false,
    }
}

/// May the statement's action patterns match some action `wanted` matches?
fn may_match(actions: &Patterns, wanted: &str) -> bool {
    match actions {
        Patterns::Listed(list) => list.iter().any(|p| overlaps(p, wanted)),
        Patterns::Except(list) => !list.iter().any(|p| covers(p, wanted)),
        // A Deny without actions is malformed; count it, so we never claim a grant.
        Patterns::Missing => true,
    }
}

/// Does glob `pattern` match every string glob `wanted` matches? Sound (never a false
/// yes): a `*` in `wanted` can only be absorbed by a `*` in `pattern`.
pub fn covers(pattern: &str, wanted: &str) -> bool {
    let (p, q) = (chars(pattern), chars(wanted));
    let mut memo = vec![vec![None; q.len() + 1]; p.len() + 1];
    covers_at(&p, &q, 0, 0, &mut memo)
}

fn covers_at(p: &[char], q: &[char], i: usize, j: usize, memo: &mut [Vec<Option<bool>>]) -> bool {
    if let Some(v) = memo[i][j] {
        return v;
    }
    let v = if i == p.len() {
        j == q.len()
    } else if p[i] == '*' {
        covers_at(p, q, i + 1, j, memo) || (j < q.len() && covers_at(p, q, i, j + 1, memo))
    } else if j == q.len() || q[j] == '*' {
        false
    } else if p[i] == '?' || p[i] == q[j] {
        covers_at(p, q, i + 1, j + 1, memo)
    } else {
        false
    };
    memo[i][j] = Some(v);
    v
}

/// Is there a string both globs match?
pub fn overlaps(a: &str, b: &str) -> bool {
    let (p, q) = (chars(a), chars(b));
    let mut memo = vec![vec![None; q.len() + 1]; p.len() + 1];
    overlaps_at(&p, &q, 0, 0, &mut memo)
}

fn overlaps_at(p: &[char], q: &[char], i: usize, j: usize, memo: &mut [Vec<Option<bool>>]) -> bool {
    if let Some(v) = memo[i][j] {
        return v;
    }
    let v = if i == p.len() && j == q.len() {
        true
    } else if i < p.len() && p[i] == '*' {
        overlaps_at(p, q, i + 1, j, memo) || (j < q.len() && overlaps_at(p, q, i, j + 1, memo))
    } else if j < q.len() && q[j] == '*' {
        overlaps_at(p, q, i, j + 1, memo) || (i < p.len() && overlaps_at(p, q, i + 1, j, memo))
    } else if i < p.len() && j < q.len() && (p[i] == '?' || q[j] == '?' || p[i] == q[j]) {
        overlaps_at(p, q, i + 1, j + 1, memo)
    } else {
        false
    };
    memo[i][j] = Some(v);
    v
}

fn chars(s: &str) -> Vec<char> {
    s.to_lowercase().chars().collect()
}
