-- jiesu schema, version 29 (PostgreSQL): a citizen is told on every channel they left (an
-- SMS to the phone, a mail to the mail address), once per appeal, event and channel; a mail
-- has a subject.
ALTER TABLE citizen_messages ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE citizen_messages DROP CONSTRAINT citizen_messages_appeal_id_event_key;
ALTER TABLE citizen_messages ADD CONSTRAINT citizen_messages_once UNIQUE (appeal_id, event, channel);
