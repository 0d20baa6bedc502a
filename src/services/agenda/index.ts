export { createEntry, deleteEntry, listEntries, parseListQuery, updateEntry, type ListQuery } from './entries.js';
export { createFeed, feedCalendar, feedUrl, listFeeds, revokeFeed, tokenHash } from './feeds.js';
export { getAgendaSettings, setAgendaSettings } from './settings.js';
export { runAgendaReminders, sendDueReminders, syncChangedAppointments, syncReminder, type AgendaJobDeps } from './reminders.js';
