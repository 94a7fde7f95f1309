//! STS actions: GetCallerIdentity and AssumeRole (reference §5.4). Temporary keys are real
//! sandbox keys: signed calls with them act with the role's policies until they expire.

use serde_json::{json, Value};

use super::Call;
use crate::clock::iso;
use crate::errors::{ApiError, ApiResult};
use crate::world::{AccessKey, Principal};

/// A stable 16-digit id for a user name.
pub fn user_id(account: &str, user: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in account.bytes().chain(user.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("2{:015}", h % 1_000_000_000_000_000)
}

pub fn get_caller_identity(c: &mut Call) -> ApiResult<Value> {
    let acct = c.account.clone();
    Ok(match &c.principal {
        Principal::Admin { user } | Principal::Operator { user } | Principal::ReadOnly { user } => {
            let uid = user_id(&acct, user);
            json!({"AccountId": acct, "UserId": uid, "PrincipalId": uid, "Arn": format!("acs:ram::{acct}:user/{user}"), "IdentityType": "RAMUser"})
        }
        Principal::RoleSession {
            role_name,
            role_id,
            session,
        } => json!({
            "AccountId": acct,
            "RoleId": role_id,
            "PrincipalId": format!("{role_id}:{session}"),
            "Arn": format!("acs:ram::{acct}:assumed-role/{}/{session}", role_name.to_ascii_lowercase()),
            "IdentityType": "AssumedRoleUser",
        }),
    })
}

pub fn assume_role(c: &mut Call) -> ApiResult<Value> {
    let arn = c.p.req("RoleArn")?.to_string();
    let bad_arn = || ApiError::role_arn_malformed();
    let rest = arn.strip_prefix("acs:ram::").ok_or_else(bad_arn)?;
    let (acct, role_name) = rest.split_once(":role/").ok_or_else(bad_arn)?;
    let session = c.p.req("RoleSessionName")?.to_string();
    if !(2..=64).contains(&session.len())
        || !session
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ".@_-".contains(ch))
    {
        return Err(ApiError::role_session_name_malformed());
    }
    if acct != c.account {
        return Err(ApiError::assume_role_not_found());
    }
    let role = c
        .world
        .account(&c.account)?
        .ram
        .role(role_name)
        .cloned()
        .ok_or_else(ApiError::assume_role_not_found)?;
    let duration = c.p.u64("DurationSeconds")?.unwrap_or(3600);
    if duration < 900 || duration > u64::from(role.max_session_duration) {
        return Err(ApiError::duration_seconds_invalid(
            role.max_session_duration,
        ));
    }
    if let Some(p) = c.p.get("Policy") {
        if p.len() > 2048 {
            return Err(ApiError::session_policy_too_long());
        }
        serde_json::from_str::<Value>(p).map_err(|_| ApiError::session_policy_not_json())?;
    }
    // The trust policy must let this account (or anyone) assume the role.
    let root = format!("acs:ram::{}:root", c.account);
    if !role.trust_policy.contains(&root)
        && !role.trust_policy.contains("\"RAM\":\"*\"")
        && !role.trust_policy.contains(&format!("\"{}\"", c.account))
    {
        return Err(ApiError::trust_policy_denies());
    }
    let key_id = format!("STS.{}", c.world.rng.alnum(25).to_uppercase());
    let secret = c.world.rng.alnum(44);
    let token = format!("CAIS{}", c.world.rng.alnum(200));
    let expires = c.now + duration as i64 * 1000;
    c.world.add_key(AccessKey {
        id: key_id.clone(),
        secret: secret.clone(),
        account_id: c.account.clone(),
        principal: Principal::RoleSession {
            role_name: role.name.clone(),
            role_id: role.id.clone(),
            session: session.clone(),
        },
        sts: Some((token.clone(), expires)),
    });
    Ok(json!({
        "Credentials": { "AccessKeyId": key_id, "AccessKeySecret": secret, "SecurityToken": token, "Expiration": iso(expires) },
        "AssumedRoleUser": { "Arn": format!("{}/{session}", role.arn), "AssumedRoleId": format!("{}:{session}", role.id) },
    }))
}
