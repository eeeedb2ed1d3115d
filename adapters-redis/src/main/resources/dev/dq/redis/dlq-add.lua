#!lua
-- dlq-add: put an entry straight into the dead set, replacing a dead entry with the same id.
-- KEYS[1] task:<id>  KEYS[2] dead (zset id -> sequence)  KEYS[3] dead-seq (counter)
-- ARGV[1] id  ARGV[2] data (JSON)  ARGV[3] attempt  ARGV[4] failure (JSON)
-- Replies: 'OK' | 'DUPLICATE' (a live task, not a dead one, holds that id; nothing changed)
if redis.call('EXISTS', KEYS[1]) == 1 and not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 'DUPLICATE' end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'attempt', ARGV[3], 'failure', ARGV[4])
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
return 'OK'
