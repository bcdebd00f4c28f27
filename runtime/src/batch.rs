//! Batches of source messages: one byte buffer, many messages, no allocation per row.
//!
//! In: message values (and keys) appended by a source. Out: [`Message`] views over the
//! shared buffer, handed to the generated decoder one by one. A batch is cleared and
//! reused, so its buffers grow to the working size once and stay there.

/// One source message: a Kafka record, or one line of a JSON-lines file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    pub key: Option<&'a [u8]>,
    pub value: &'a [u8],
    pub topic: &'a str,
    pub partition: i32,
    pub offset: i64,
    /// The record's timestamp (epoch millis), when the source has one.
    pub timestamp: Option<i64>,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    key: Option<(u32, u32)>,
    value: (u32, u32),
    topic: u16,
    partition: i32,
    offset: i64,
    timestamp: Option<i64>,
}

/// A reusable batch of messages.
///
/// ```
/// use streamsql_runtime::batch::MessageBatch;
/// let mut b = MessageBatch::default();
/// b.push(None, b"{\"a\":1}", "t", 0, 7, None);
/// b.push(Some(b"k"), b"{\"a\":2}", "t", 0, 8, Some(1_000));
/// let m: Vec<_> = b.iter().collect();
/// assert_eq!(m[1].key, Some(&b"k"[..]));
/// assert_eq!(m[1].offset, 8);
/// b.clear();
/// assert!(b.is_empty());
/// ```
#[derive(Debug, Default)]
pub struct MessageBatch {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    topics: Vec<String>,
}

impl MessageBatch {
    pub fn with_capacity(messages: usize, bytes: usize) -> Self {
        MessageBatch {
            bytes: Vec::with_capacity(bytes),
            entries: Vec::with_capacity(messages),
            topics: Vec::new(),
        }
    }

    pub fn clear(&mut self) {
        self.bytes.clear();
        self.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes of keys and values held.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    fn topic_index(&mut self, topic: &str) -> u16 {
        match self.topics.iter().position(|t| t == topic) {
            Some(i) => i as u16,
            None => {
                self.topics.push(topic.to_string());
                (self.topics.len() - 1) as u16
            }
        }
    }

    fn append(&mut self, bytes: &[u8]) -> (u32, u32) {
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(bytes);
        (start, bytes.len() as u32)
    }

    /// Appends one message (key and value are copied into the batch's buffer).
    pub fn push(
        &mut self,
        key: Option<&[u8]>,
        value: &[u8],
        topic: &str,
        partition: i32,
        offset: i64,
        timestamp: Option<i64>,
    ) {
        let topic = self.topic_index(topic);
        let key = key.map(|k| self.append(k));
        let value = self.append(value);
        self.entries.push(Entry {
            key,
            value,
            topic,
            partition,
            offset,
            timestamp,
        });
    }

    /// The reusable buffer to read a value into directly: call
    /// [`MessageBatch::commit_value`] after writing the value's bytes at its end.
    pub fn value_buffer(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }

    /// Registers the bytes appended to [`MessageBatch::value_buffer`] since `start` as
    /// one message's value.
    pub fn commit_value(
        &mut self,
        start: usize,
        topic: &str,
        partition: i32,
        offset: i64,
        timestamp: Option<i64>,
    ) {
        let topic = self.topic_index(topic);
        let len = self.bytes.len() - start;
        self.entries.push(Entry {
            key: None,
            value: (start as u32, len as u32),
            topic,
            partition,
            offset,
            timestamp,
        });
    }

    pub fn get(&self, i: usize) -> Message<'_> {
        let e = &self.entries[i];
        let slice = |(s, l): (u32, u32)| &self.bytes[s as usize..(s + l) as usize];
        Message {
            key: e.key.map(slice),
            value: slice(e.value),
            topic: &self.topics[e.topic as usize],
            partition: e.partition,
            offset: e.offset,
            timestamp: e.timestamp,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Message<'_>> {
        (0..self.entries.len()).map(|i| self.get(i))
    }
}
