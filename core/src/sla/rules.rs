//! The escalation rules that apply to one target of one policy, as evaluated: the
//! configured ones, and the status-message rule the desk adds when `status_messages` is on.

use chrono::Duration;

use super::config::{EscalationAction, PolicyConfig, SlaConfig, Target};

/// An escalation rule as evaluated: threshold, repeat step, actions.
pub(super) struct Rule {
    pub percent: u16,
    pub step: Option<Duration>,
    pub actions: Vec<EscalationAction>,
}

/// The escalation rules for `target` under `policy`, with the status-message rule
/// (`inform_requester` at 100 % of the update interval, repeating every interval) when
/// `status_messages` is on: merged into an explicit rule at 100 %, else added.
pub(super) fn rules(
    config: &SlaConfig,
    policy: &PolicyConfig,
    target: Target,
    budget: Duration,
) -> Vec<Rule> {
    let mut rules: Vec<Rule> = config
        .escalation
        .iter()
        .filter(|r| {
            r.target == target && (r.policies.is_empty() || r.policies.contains(&policy.id))
        })
        .map(|r| Rule {
            percent: r.at_percent,
            step: r.repeat_every.and_then(|d| Duration::from_std(d).ok()),
            actions: r.actions.clone(),
        })
        .collect();
    if target == Target::Update && config.status_messages {
        let inform = EscalationAction::InformRequester;
        match rules.iter_mut().find(|r| r.percent == 100) {
            Some(r) if r.actions.contains(&inform) => {}
            Some(r) => r.actions.push(inform),
            None => {
                let at = rules.partition_point(|r| r.percent < 100);
                rules.insert(
                    at,
                    Rule {
                        percent: 100,
                        step: Some(budget),
                        actions: vec![inform],
                    },
                );
            }
        }
    }
    rules
}
