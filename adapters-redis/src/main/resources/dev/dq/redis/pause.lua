#!lua
-- pause: pause a queue (or replace its pause). Claims of a paused queue hand out nothing (see claim.lua).
-- KEYS[1] paused (string: JSON {"by", "reason", "at", "until"}; at/until epoch ms on the server's clock)
-- ARGV[1] by  ARGV[2] reason  ARGV[3] duration ms ('' = until resumed)  ARGV[4] now ms override ('' = Redis TIME)
-- Replies: the JSON stored. With a duration the key expires then (PX), and claim also compares "until" with now, so
-- the pause ends on the server's clock (or the test clock) whichever is read.
-- Uses server_now (_now.lua), which Script.java puts in front of this text.
local now = server_now(ARGV[4])
local json = '{"by":' .. cjson.encode(ARGV[1]) .. ',"reason":' .. cjson.encode(ARGV[2]) .. ',"at":'
  .. string.format('%d', now)
if ARGV[3] == '' then
  json = json .. '}'
  redis.call('SET', KEYS[1], json)
else
  local ms = tonumber(ARGV[3])
  json = json .. ',"until":' .. string.format('%d', now + ms) .. '}'
  redis.call('SET', KEYS[1], json, 'PX', ms)
end
return json
