// SELECT lists `userId`, which is neither grouped nor aggregated.
mod job {
    streamsql_macros::stream_sql!(r#"
CREATE TABLE video_log (userId VARCHAR, videoId VARCHAR, ts TIMESTAMP(3)) WITH (type = 'kafka011', topic = 'x');
CREATE TABLE out (userId VARCHAR, videoId VARCHAR, plays BIGINT, PRIMARY KEY (videoId)) WITH (type = 'rds');
INSERT INTO out SELECT userId, videoId, COUNT(*) FROM video_log GROUP BY videoId;
"#);
}

fn main() {
    let _ = job::Job.info();
}
