// A `...` elision from a doc left inside a WITH clause.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH (
    type = 'kafka011',
    topic = 'x',
    ...
);
CREATE TABLE out (id VARCHAR) WITH (type = 'print');
INSERT INTO out SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
