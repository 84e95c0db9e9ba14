// Reads an iCalendar feed on stdin with ical.js (Thunderbird's parser) and prints its
// events as JSON: uid, summary, and the start as a UTC instant (or a date, all day).
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
// ical.js has no zone database of its own: a TZID resolves only through the feed's VTIMEZONEs
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const start = event.startDate;
  return {
    uid: event.uid,
    summary: event.summary,
    sequence: event.sequence,
    all_day: start.isDate,
    start: start.isDate ? start.toString() : start.toJSDate().toISOString(),
    end: event.endDate.isDate ? event.endDate.toString() : event.endDate.toJSDate().toISOString(),
    tzid: start.isDate ? null : start.zone.tzid,
  };
});
process.stdout.write(JSON.stringify(events));
