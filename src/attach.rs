//! Files on tickets: attaching one (checked against `[attachments]` before a byte is
//! stored) and reading one back (only what the reader may see).

use foliodesk_core::attachment::{sha256_hex, Attachment};
use foliodesk_core::decide::{decide, Context};
use foliodesk_core::{view, Command, Error, Result, Ticket, TicketId, UserId, Visibility};

use crate::Desk;

impl Desk {
    /// Puts a file on ticket `id` as `actor`. The desk checks that `actor` may see the
    /// ticket and that the file fits `[attachments]` (size, type, name) before storing the
    /// bytes under their SHA-256; then the `attached` event records it. Requesters attach
    /// public files only.
    ///
    /// ```
    /// # async fn run(desk: &foliodesk::Desk, id: &foliodesk::TicketId) -> foliodesk::Result<()> {
    /// use foliodesk::Visibility;
    /// let png = std::fs::read("captura.png").unwrap_or_default();
    /// let t = desk.attach("ana", id, "captura.png", "image/png", png, Visibility::Public).await?;
    /// assert_eq!(t.attachments.last().unwrap().name, "captura.png");
    /// # Ok(()) }
    /// ```
    pub async fn attach(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        name: impl Into<String>,
        content_type: impl Into<String>,
        content: Vec<u8>,
        visibility: Visibility,
    ) -> Result<Ticket> {
        let actor = actor.into();
        let attachment = Attachment {
            sha256: sha256_hex(&content),
            name: name.into(),
            content_type: content_type.into(),
            size: content.len() as u64,
            visibility,
        };
        let command = Command::Attach { attachment };
        // The whole decision first, so nothing is stored for a refused file or person.
        let (who, ticket, facts) = self.read_ticket(&actor, id).await?;
        let rules = self.rules();
        let ctx = Context {
            now: self.now(),
            config: &rules.config,
            facts: &facts,
        };
        decide(Some(&ticket), &command, &who.user, &ctx)?;
        self.store().put_blob(content).await?;
        self.execute(actor, id, command).await
    }

    /// The bytes of the file `sha256` on ticket `id`, if `actor` may see both the ticket
    /// and the file (requesters: public files only); `NotFound` otherwise.
    pub async fn attachment(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        sha256: &str,
    ) -> Result<Vec<u8>> {
        let (actor, ticket, _) = self.read_ticket(&actor.into(), id).await?;
        let ticket = view::redact(&actor.user, ticket);
        if !ticket.attachments.iter().any(|a| a.sha256 == sha256) {
            return Err(Error::not_found("attachment", sha256));
        }
        (self.store().blob(sha256).await?).ok_or_else(|| Error::not_found("attachment", sha256))
    }
}
