// A full-width comma `，` typed with a Chinese input method.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (
    id VARCHAR，
    name VARCHAR
) WITH (type = 'kafka011', topic = 'x');
CREATE TABLE out (id VARCHAR) WITH (type = 'print');
INSERT INTO out SELECT id FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
