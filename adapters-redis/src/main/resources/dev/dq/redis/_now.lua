-- _now: a fragment, not a script. Script.java puts it after the shebang line of each script that reads the time.
-- server_now(override): "now" in epoch ms, the Redis server's TIME (scripts replicate by effects on Redis 7, so TIME is
-- allowed), or override when it is not '' (the test hook: the "now ms override" ARGV each script's header names).
local function server_now(override)
  if override ~= '' then return tonumber(override) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
