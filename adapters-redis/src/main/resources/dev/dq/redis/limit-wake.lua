#!lua flags=allow-oom
-- limit-wake: a settle freed a concurrency permit of a limited queue or type: wake one waiting claim.
-- KEYS[1] notify (wake-up list)
-- Replies: 'OK'
redis.call('RPUSH', KEYS[1], '1')
redis.call('LTRIM', KEYS[1], -64, -1)
return 'OK'
