//! Survey (seed step 11): the requester rates the service once, 1 to 5, with a comment.

use crate::event::Event;
use crate::{Error, Result};

use crate::decide::{text, Decision, MAX_TEXT};

impl Decision<'_> {
    pub(crate) fn rate(&self, score: u8, comment: Option<&str>) -> Result<Vec<Event>> {
        if self.ticket.satisfaction.is_some() {
            return Err(Error::validation(
                "satisfaction",
                "the ticket was already rated",
            ));
        }
        if !(1..=5).contains(&score) {
            return Err(Error::validation(
                "score",
                format!("{score} is out of range 1..=5"),
            ));
        }
        let comment = comment.map(|c| text("comment", c, MAX_TEXT)).transpose()?;
        Ok(vec![Event::Rated { score, comment }])
    }
}
