//! One region's answers joined per instance as they arrive: an instance is checked as
//! soon as its page, the region's disk walk and its agent and role batches are in, so
//! checking overlaps the region's last calls instead of following them all (with 25
//! regions on two cores, checking 10,000 instances at the end was most of the tail).
//! Arrival order does not matter: a batch may even answer before its page is seen.

use std::collections::HashMap;

use acs_openapi::actions::ecs_instances::InstanceBrief;
use acs_openapi::AcsError;

use super::predict::assess;
use super::types::{AgentFact, Assessed, DiskFact, FleetInstance, Missing, RoleFact};
use crate::error::AppError;

/// What one job of a region's read answered; batches are numbered from 1 in listing
/// order and carry the ids they asked for.
pub(super) enum Outcome {
    Disks(Result<HashMap<String, Vec<DiskFact>>, AcsError>),
    Agents(
        usize,
        Vec<String>,
        Result<Vec<(String, AgentFact)>, AcsError>,
    ),
    Roles(usize, Vec<String>, Result<Vec<(String, String)>, AcsError>),
}

impl Outcome {
    /// Where a one-call-at-a-time read would have made this call: disks, then each batch.
    fn order(&self) -> (u8, usize) {
        match self {
            Self::Disks(_) => (0, 0),
            Self::Agents(n, ..) => (1, *n),
            Self::Roles(n, ..) => (2, *n),
        }
    }
}

/// One instance's facts so far; `None` = not answered yet.
#[derive(Default)]
struct Slot {
    /// Its place in the listing and what DescribeInstances said.
    brief: Option<(usize, InstanceBrief)>,
    /// Answered: the status, or `None` when the batch failed or left it out.
    agent: Option<Option<AgentFact>>,
    role: Option<RoleFact>,
}

pub(super) struct Assembly {
    region: String,
    group_disk_limit: u32,
    listed: usize,
    slots: HashMap<String, Slot>,
    /// Answered: the region's disks by instance, or `None` when the walk failed.
    disks: Option<Option<HashMap<String, Vec<DiskFact>>>>,
    disk_count: u32,
    checked: Vec<Option<Assessed>>,
    missing: Vec<((u8, usize), Missing)>,
}

/// A region's instances checked, in listing order, and the calls that failed, in the
/// order a one-call-at-a-time read would have made them.
pub(super) struct Assembled {
    pub instances: Vec<Assessed>,
    pub missing: Vec<Missing>,
    pub disk_count: u32,
}

impl Assembly {
    pub fn new(region: &str, group_disk_limit: u32) -> Self {
        Self {
            region: region.to_owned(),
            group_disk_limit,
            listed: 0,
            slots: HashMap::new(),
            disks: None,
            disk_count: 0,
            checked: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// A page of newly listed instances (the listing already dropped repeats).
    pub fn listed(&mut self, page: Vec<InstanceBrief>) {
        for brief in page {
            let id = brief.instance_id.clone();
            self.slots.entry(id.clone()).or_default().brief = Some((self.listed, brief));
            self.listed += 1;
            self.checked.push(None);
            self.try_check(&id);
        }
    }

    pub fn answered(&mut self, outcome: Outcome) {
        let order = outcome.order();
        match outcome {
            Outcome::Disks(result) => {
                let disks = match result {
                    Ok(all) => {
                        self.disk_count = all.values().map(|d| d.len() as u32).sum();
                        Some(all)
                    }
                    Err(e) => {
                        self.lack(
                            order,
                            "DescribeDisks",
                            "disk categories and counts are unknown",
                            &e,
                        );
                        None
                    }
                };
                self.disks = Some(disks);
                let ids: Vec<String> = self.slots.keys().cloned().collect();
                for id in ids {
                    self.try_check(&id);
                }
            }
            Outcome::Agents(_, chunk, result) => {
                let mut found: HashMap<String, AgentFact> = match result {
                    Ok(found) => found.into_iter().collect(),
                    Err(e) => {
                        let effect = format!(
                            "Cloud Assistant status of {} is unknown",
                            instances(chunk.len())
                        );
                        self.lack(order, "DescribeCloudAssistantStatus", &effect, &e);
                        HashMap::new()
                    }
                };
                for id in chunk {
                    self.slots.entry(id.clone()).or_default().agent = Some(found.remove(&id));
                    self.try_check(&id);
                }
            }
            Outcome::Roles(_, chunk, result) => {
                let found: Option<HashMap<String, String>> = match result {
                    Ok(found) => Some(found.into_iter().collect()),
                    Err(e) => {
                        let effect =
                            format!("the RAM role of {} is unknown", instances(chunk.len()));
                        self.lack(order, "DescribeInstanceRamRole", &effect, &e);
                        None
                    }
                };
                let mut found = found;
                for id in chunk {
                    let role = match found.as_mut() {
                        None => RoleFact::Unknown,
                        Some(names) => match names.remove(&id) {
                            Some(role_name) => RoleFact::Attached {
                                role_name,
                                evaluation: None,
                            },
                            None => RoleFact::None,
                        },
                    };
                    self.slots.entry(id.clone()).or_default().role = Some(role);
                    self.try_check(&id);
                }
            }
        }
    }

    /// Every listed instance checked. One whose answers never came (none should, once
    /// every job has answered) is checked with those facts unknown, never left out.
    pub fn finish(mut self) -> Assembled {
        let disks = self.disks.take().flatten();
        self.disks = Some(disks);
        for slot in self.slots.values_mut() {
            slot.agent.get_or_insert(None);
            slot.role.get_or_insert(RoleFact::Unknown);
        }
        let ids: Vec<String> = self.slots.keys().cloned().collect();
        for id in ids {
            self.try_check(&id);
        }
        self.missing.sort_by_key(|(order, _)| *order);
        Assembled {
            instances: self.checked.into_iter().flatten().collect(),
            missing: self.missing.into_iter().map(|(_, m)| m).collect(),
            disk_count: self.disk_count,
        }
    }

    fn try_check(&mut self, id: &str) {
        let Some(disks) = &mut self.disks else {
            return;
        };
        let ready = self
            .slots
            .get(id)
            .is_some_and(|s| s.brief.is_some() && s.agent.is_some() && s.role.is_some());
        if !ready {
            return;
        }
        let Some(Slot {
            brief: Some((at, i)),
            agent: Some(agent),
            role: Some(role),
        }) = self.slots.remove(id)
        else {
            return;
        };
        let instance = FleetInstance {
            disks: disks
                .as_mut()
                .map(|d| d.remove(&i.instance_id).unwrap_or_default()),
            agent,
            role,
            guest: None,
            script_test: None,
            name: i.instance_name,
            region_id: self.region.clone(),
            zone_id: i.zone_id,
            os_type: i.os_type.to_ascii_lowercase(),
            os_name: i.os_name,
            os_name_en: i.os_name_en,
            status: i.status,
            instance_id: i.instance_id,
        };
        self.checked[at] = Some(assess(instance, self.group_disk_limit));
    }

    fn lack(&mut self, order: (u8, usize), action: &str, effect: &str, err: &AcsError) {
        self.missing
            .push((order, miss(&self.region, action, effect, err)));
    }
}

pub(super) fn miss(region: &str, action: &str, effect: &str, err: &AcsError) -> Missing {
    Missing {
        region_id: region.to_owned(),
        action: action.to_owned(),
        effect: effect.to_owned(),
        error: AppError::from(err),
    }
}

/// "1 instance", "50 instances".
fn instances(n: usize) -> String {
    match n {
        1 => "1 instance".to_owned(),
        n => format!("{n} instances"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief(id: &str) -> InstanceBrief {
        InstanceBrief {
            instance_id: id.into(),
            instance_name: format!("name-{id}"),
            status: "Running".into(),
            os_type: "Linux".into(),
            ..Default::default()
        }
    }

    fn agent(version: &str) -> AgentFact {
        AgentFact {
            installed: true,
            online: true,
            version: version.into(),
        }
    }

    fn dropped(action: &str) -> AcsError {
        AcsError::NoResponse {
            action: action.into(),
            endpoint: "ecs.cn-hangzhou.aliyuncs.com".into(),
            message: "reset".into(),
        }
    }

    fn disk(id: &str) -> DiskFact {
        DiskFact {
            disk_id: id.into(),
            category: "cloud_essd".into(),
            disk_type: "system".into(),
            size_gib: 40,
            multi_attach: String::new(),
        }
    }

    fn ids(done: &Assembled) -> Vec<&str> {
        done.instances
            .iter()
            .map(|a| a.instance.instance_id.as_str())
            .collect()
    }

    #[test]
    fn an_instance_is_checked_once_all_its_facts_are_in_whatever_the_order() {
        let mut a = Assembly::new("cn-hangzhou", 16);
        // Batch answers before the page that listed the ids, disks last.
        a.answered(Outcome::Roles(
            1,
            vec!["i-1".into(), "i-2".into()],
            Ok(vec![("i-2".into(), "AppSnapRole".into())]),
        ));
        a.answered(Outcome::Agents(
            1,
            vec!["i-1".into(), "i-2".into()],
            Ok(vec![("i-1".into(), agent("2.1"))]),
        ));
        a.listed(vec![brief("i-1"), brief("i-2")]);
        assert!(a.checked.iter().all(Option::is_none), "disks still unknown");
        a.answered(Outcome::Disks(Ok(HashMap::from([(
            "i-1".to_owned(),
            vec![disk("d-1")],
        )]))));
        assert!(
            a.checked.iter().all(Option::is_some),
            "checked before finish"
        );
        let done = a.finish();
        assert_eq!(ids(&done), ["i-1", "i-2"]);
        let [one, two] = &done.instances[..] else {
            panic!("two instances")
        };
        assert_eq!(one.instance.agent, Some(agent("2.1")));
        assert_eq!(one.instance.role, RoleFact::None);
        assert_eq!(one.instance.disks, Some(vec![disk("d-1")]));
        assert_eq!(one.instance.os_type, "linux");
        assert_eq!(one.instance.region_id, "cn-hangzhou");
        assert_eq!(two.instance.agent, None, "left out of the answer");
        assert_eq!(
            two.instance.role,
            RoleFact::Attached {
                role_name: "AppSnapRole".into(),
                evaluation: None
            }
        );
        assert_eq!(two.instance.disks, Some(vec![]));
        assert_eq!(done.disk_count, 1);
        assert!(done.missing.is_empty());
    }

    #[test]
    fn instances_keep_listing_order_when_later_batches_answer_first() {
        let mut a = Assembly::new("cn-hangzhou", 16);
        a.answered(Outcome::Disks(Ok(HashMap::new())));
        a.listed(vec![brief("i-a"), brief("i-b")]);
        a.listed(vec![brief("i-c")]);
        for (n, id) in [(2, "i-c"), (1, "i-b"), (1, "i-a")] {
            a.answered(Outcome::Agents(n, vec![id.into()], Ok(vec![])));
            a.answered(Outcome::Roles(n, vec![id.into()], Ok(vec![])));
        }
        assert_eq!(ids(&a.finish()), ["i-a", "i-b", "i-c"]);
    }

    #[test]
    fn an_answer_is_taken_only_for_the_ids_its_batch_asked_for() {
        let mut a = Assembly::new("cn-hangzhou", 16);
        a.answered(Outcome::Disks(Ok(HashMap::new())));
        a.listed(vec![brief("i-1"), brief("i-2")]);
        a.answered(Outcome::Agents(1, vec!["i-1".into()], Ok(vec![])));
        a.answered(Outcome::Roles(1, vec!["i-1".into()], Ok(vec![])));
        // Batch 2 names i-1 too: not its id, so i-1 keeps what its own batch said.
        a.answered(Outcome::Agents(
            2,
            vec!["i-2".into()],
            Ok(vec![("i-1".into(), agent("9")), ("i-2".into(), agent("2"))]),
        ));
        a.answered(Outcome::Roles(2, vec!["i-2".into()], Ok(vec![])));
        let done = a.finish();
        assert_eq!(done.instances[0].instance.agent, None);
        assert_eq!(done.instances[1].instance.agent, Some(agent("2")));
    }

    #[test]
    fn failed_calls_leave_their_facts_unknown_and_are_named_in_call_order() {
        let mut a = Assembly::new("cn-hangzhou", 16);
        a.listed(vec![brief("i-1")]);
        a.answered(Outcome::Roles(
            1,
            vec!["i-1".into()],
            Err(dropped("DescribeInstanceRamRole")),
        ));
        a.answered(Outcome::Agents(
            1,
            vec!["i-1".into()],
            Err(dropped("DescribeCloudAssistantStatus")),
        ));
        a.answered(Outcome::Disks(Err(dropped("DescribeDisks"))));
        let done = a.finish();
        let i = &done.instances[0].instance;
        assert_eq!(
            (&i.disks, &i.agent, &i.role),
            (&None, &None, &RoleFact::Unknown)
        );
        let named: Vec<(&str, &str)> = done
            .missing
            .iter()
            .map(|m| (m.action.as_str(), m.effect.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("DescribeDisks", "disk categories and counts are unknown"),
                (
                    "DescribeCloudAssistantStatus",
                    "Cloud Assistant status of 1 instance is unknown"
                ),
                (
                    "DescribeInstanceRamRole",
                    "the RAM role of 1 instance is unknown"
                ),
            ]
        );
        assert!(done.missing.iter().all(|m| m.region_id == "cn-hangzhou"));
    }

    #[test]
    fn an_instance_whose_answers_never_came_is_kept_with_them_unknown() {
        let mut a = Assembly::new("cn-hangzhou", 16);
        a.listed(vec![brief("i-1")]);
        let done = a.finish();
        assert_eq!(ids(&done), ["i-1"]);
        let i = &done.instances[0].instance;
        assert_eq!(
            (&i.disks, &i.agent, &i.role),
            (&None, &None, &RoleFact::Unknown)
        );
    }

    #[test]
    fn counts_of_instances_agree_in_number() {
        assert_eq!(instances(1), "1 instance");
        assert_eq!(instances(50), "50 instances");
        assert_eq!(instances(0), "0 instances");
    }
}
