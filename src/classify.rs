//! Automatic categorisation through the facade: the classifier is taught by the desk's
//! solved tickets when first asked, then kept in step with every change this desk makes;
//! it suggests to staff, and applies to new tickets above the configured confidence.

use std::sync::{Mutex, MutexGuard, PoisonError};

use foliodesk_core::classifier::suggest::{Classifier, Suggestion};
use foliodesk_core::{Event, Facts, Result, Status, Ticket, TicketFilter, UserId};

use crate::Desk;

/// The desk's classifier, taught on first use.
#[derive(Debug, Default)]
pub(crate) struct Taught(Mutex<Option<Classifier>>);

impl Taught {
    fn lock(&self) -> MutexGuard<'_, Option<Classifier>> {
        // Updates are whole method calls on counts; a panic cannot leave one half-done
        // that a later prediction would trip on.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Desk {
    /// What the classifier suggests for a ticket with this title and description: up to
    /// three categories, teams and priorities, each with its confidence, learnt from the
    /// desk's solved tickets. Staff only.
    pub async fn suggest_classification(
        &self,
        actor: impl Into<UserId>,
        title: String,
        description: String,
    ) -> Result<Suggestion> {
        let actor = self.actor(&actor.into()).await?;
        actor.must_be_staff("suggest a classification", "it is for staff")?;
        self.teach_if_new().await?;
        let taught = self.taught().lock();
        Ok(taught
            .as_ref()
            .map(|c| c.suggest(&title, &description))
            .unwrap_or_default())
    }

    /// Teaches the classifier again from every solved ticket in the store — after another
    /// process has worked the same desk, say. Returns how many tickets taught it.
    /// Supervisors and admins.
    pub async fn train_classifier(&self, actor: impl Into<UserId>) -> Result<u32> {
        let actor = self.actor(&actor.into()).await?;
        actor.must_supervise("train the classifier")?;
        let fresh = self.lessons().await?;
        let n = fresh.examples();
        *self.taught().lock() = Some(fresh);
        Ok(n)
    }

    /// Keeps a taught classifier in step with `ticket` as it now is.
    pub(crate) fn relearn(&self, ticket: &Ticket) {
        if let Some(c) = self.taught().lock().as_mut() {
            c.learn(ticket);
        }
    }

    /// The events that apply the classifier's suggestion to a new ticket that came without
    /// a category: the category, then its routing (or the suggested team when the category
    /// routes nowhere). The team read is added to `facts` for the assignment that follows.
    pub(crate) async fn classify_new(
        &self,
        preview: &Ticket,
        facts: &mut Facts,
    ) -> Result<Vec<Event>> {
        let rules = self.rules();
        let config = &rules.config.classifier;
        if config.apply_above.is_none() || preview.category.is_some() {
            return Ok(Vec::new());
        }
        if preview.status != Status::New || preview.team.is_some() {
            return Ok(Vec::new());
        }
        self.teach_if_new().await?;
        let suggestion = match self.taught().lock().as_ref() {
            Some(c) => c.suggest(&preview.title, &preview.description),
            None => return Ok(Vec::new()),
        };
        let Some(guess) = suggestion.category.first() else {
            return Ok(Vec::new());
        };
        // A category since removed from the configuration is not applied.
        let category = match rules.config.category("category", &guess.label) {
            Ok(c) if config.applies(guess, suggestion.examples) => c,
            _ => return Ok(Vec::new()),
        };
        let mut events = vec![Event::Reclassified {
            kind: preview.kind,
            category: Some(category.clone()),
            confidence: Some((guess.confidence * 100.0).floor() as u8),
        }];
        let team = match rules.config.route(&category) {
            Some(t) => Some(t.clone()),
            None => (suggestion.team.first())
                .filter(|g| config.applies(g, suggestion.examples))
                .map(|g| g.label.as_str().into()),
        };
        if let Some(team) = team {
            if let Some(team) = self.store().team(&team).await? {
                events.push(Event::Assigned {
                    team: Some(team.id.clone()),
                    assignee: None,
                    level: team.level,
                    strategy: None,
                });
                facts.teams.insert(team.id.clone(), team);
            }
        }
        Ok(events)
    }

    async fn teach_if_new(&self) -> Result<()> {
        if self.taught().lock().is_some() {
            return Ok(());
        }
        let fresh = self.lessons().await?;
        self.taught().lock().get_or_insert(fresh);
        Ok(())
    }

    /// A classifier taught by every solved ticket in the store.
    async fn lessons(&self) -> Result<Classifier> {
        let filter = TicketFilter {
            status: vec![Status::Resolved, Status::Confirmed, Status::Closed],
            ..TicketFilter::default()
        };
        let mut c = Classifier::default();
        for t in self.every_ticket(filter).await? {
            c.learn(&t);
        }
        Ok(c)
    }
}
