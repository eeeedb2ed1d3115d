#!lua
-- dlq-add: put an entry straight into the dead set, replacing a dead entry with the same id.
-- KEYS[1] tasks  KEYS[2] attempts  KEYS[3] failures  KEYS[4] dead (zset id -> sequence)  KEYS[5] dead-seq (counter)
-- KEYS[6] priorities (hash id -> level, for levels other than 5)
-- ARGV[1] id  ARGV[2] data (JSON)  ARGV[3] attempt  ARGV[4] failure (JSON)  ARGV[5] the task's priority level 0..9
-- Replies: 'OK' | 'DUPLICATE' (a live task, not a dead one, holds that id; nothing changed)
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 and not redis.call('ZSCORE', KEYS[4], ARGV[1]) then
  return 'DUPLICATE'
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
if ARGV[5] == '5' then redis.call('HDEL', KEYS[6], ARGV[1]) else redis.call('HSET', KEYS[6], ARGV[1], ARGV[5]) end
redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[5]), ARGV[1])
return 'OK'
