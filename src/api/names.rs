//! What the operation list names: the types of arguments and results, and the defaults of
//! optional arguments — kept apart so the list itself holds only operations.

#![allow(unused_imports)] // each name is used by the list, not here

pub(super) use super::bytes::Base64;
pub(super) use crate::api::{decode, doc, encode, Operation};
pub(super) use crate::delivery::{Batch, DeliveryReport, Outcome};
pub(super) use crate::report::SentReport;
pub(super) use crate::smtp::SmtpSettings;
pub(super) use crate::webhook::WebhookSettings;
pub(super) use crate::{
    ArticleFilter, ArticleHit, KnownError, ProblemResolution, SearchQuery, TicketHit,
};
pub(super) use crate::{
    CannedResponse, ContactCursor, ImapPoll, ImapSettings, Ingested, TicketEdit,
};
pub(super) use crate::{Config, Desk, Error, PageRequest, Reconfiguration, Result, TickReport};
pub(super) use crate::{ImportReport, ImportTicket};
pub(super) use chrono::{DateTime, Utc};
pub(super) use foliodesk_core::anchor::{Checkpoint, DeskVerification};
pub(super) use foliodesk_core::classifier::suggest::Suggestion;
pub(super) use foliodesk_core::contact::Contact;
pub(super) use foliodesk_core::export::CsvOptions;
pub(super) use foliodesk_core::inbound::InboundMessage;
pub(super) use foliodesk_core::knowledge::suggest::Recurring;
pub(super) use foliodesk_core::knowledge::{Article, ArticleAction, ArticleDraft};
pub(super) use foliodesk_core::notify::DeadLetter;
pub(super) use foliodesk_core::problem::{repeats::Repeated, ProblemUpdate};
pub(super) use foliodesk_core::report::rows::ReportTable;
pub(super) use foliodesk_core::report::{Chart, Dashboard, Report, Window};
pub(super) use foliodesk_core::responses::Macro;
pub(super) use foliodesk_core::sla::SlaConfig;
pub(super) use foliodesk_core::sla::{Crossing, SlaView};
pub(super) use foliodesk_core::workload::TeamLoad;
pub(super) use foliodesk_core::{
    CancelReason, Command, EscalationKind, EventEnvelope, NewTicket, Organisation, OutboxMessage,
    Page, PriorityChange, SecurityRecord, Team, TeamId, Ticket, TicketFilter, TicketId, TicketKind,
    User, UserId, Verification, Visibility, WaitingOn,
};
pub(super) use schemars::{JsonSchema, SchemaGenerator};
pub(super) use serde_json::Value;

pub(super) fn default_limit() -> u32 {
    100
}

pub(super) fn default_tickets() -> u32 {
    50
}

pub(super) fn default_contacts() -> u32 {
    500
}

pub(super) fn default_risk_minutes() -> u32 {
    60
}

pub(super) fn default_time_zone() -> String {
    "UTC".into()
}
