#!lua flags=allow-oom
-- dlq-delete: delete dead entries (and their task hashes); ids that are not dead are left alone.
-- KEYS[1] dead  KEYS[1+i] task:<id i>, i = 1..n
-- ARGV[i] id i
-- Replies: how many were deleted (integer)
local n = 0
for i = 1, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    redis.call('DEL', KEYS[1 + i])
    n = n + 1
  end
end
return n
