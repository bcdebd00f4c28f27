// CONCAT with a BIGINT argument (`NOW() * 1000`) instead of a string.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE src (id VARCHAR) WITH (type = 'kafka011', topic = 'x');
CREATE TABLE out (msg VARCHAR) WITH (type = 'kafka011', topic = 'y');
INSERT INTO out SELECT CONCAT('{"id":"', id, '","ts":', NOW() * 1000, '}') FROM src;
"#);
}

fn main() {
    let _ = job::Job.info();
}
