-- The quota shared by the hosts of one merchant, run by Redis as one atomic
-- script (src/throttle-redis/README.md says why each step is safe).
--
-- KEYS[1]  the schedule: GCRA's theoretical arrival time, Redis-clock us
-- KEYS[2]  the slots: a sorted set of lease names, scored by lease end (us)
-- KEYS[3]  the hosts present: host index -> last call (us)
-- ARGV     op (acquire, release, feedback), rate/s, burst, concurrency,
--          lease ms, presence ms, hosts N, this host's index, then the lease
--          name (acquire, release) or the hold in ms (feedback)
--
-- Every host that called within the presence period is present; Redis then
-- grants only the present hosts' shares of the quota (rate/N each, and each
-- host's part of the burst and of the slots), because a host that is absent
-- may be sending on its own share. With every host present the shares add
-- up to the whole quota. Times come from Redis's TIME, so the hosts' clocks
-- do not matter.
local op = ARGV[1]
local rate, burst, conc = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local lease, presence = tonumber(ARGV[5]) * 1000, tonumber(ARGV[6]) * 1000
local n, self = tonumber(ARGV[7]), tonumber(ARGV[8])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

-- Integers as exact decimal text (Lua's own conversion keeps 14 digits).
local function int(x)
  return string.format('%d', x)
end

-- Keep a key until `us` (Redis time) at least.
local function keep_until(key, us)
  local ms = math.ceil((us - now) / 1000) + 1
  if redis.call('PTTL', key) < ms then
    redis.call('PEXPIRE', key, ms)
  end
end

if op == 'release' then
  redis.call('ZREM', KEYS[2], ARGV[9])
  return {0, 0}
end

redis.call('ZADD', KEYS[3], int(now), self)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. int(now - presence))
keep_until(KEYS[3], now + presence)
local present, b, c = 0, 0, 0
for _, h in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  local i = tonumber(h)
  if i and i >= 0 and i < n then
    present = present + 1
    b = b + math.floor(burst / n) + ((i < burst % n) and 1 or 0)
    c = c + math.floor(conc / n) + ((i < conc % n) and 1 or 0)
  end
end
local interval = math.ceil(1000000 * n / (rate * present))
local tolerance = math.max(b - 1, 0) * interval
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')

if op == 'feedback' then
  -- Every later start is at least tat - tolerance.
  local floor = now + tonumber(ARGV[9]) * 1000 + tolerance
  if floor > tat then
    redis.call('SET', KEYS[1], int(floor))
    keep_until(KEYS[1], floor)
  end
  return {0, present}
end

redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', int(now))
if b < 1 or redis.call('ZCARD', KEYS[2]) >= c then
  return {-1, present}
end
local start = math.max(now, tat - tolerance)
local nxt = math.max(tat, start) + interval
redis.call('SET', KEYS[1], int(nxt))
-- Once tat is past, the bucket is full whatever the shares: the key may go.
keep_until(KEYS[1], nxt)
redis.call('ZADD', KEYS[2], int(start + lease), ARGV[9])
keep_until(KEYS[2], start + lease)
return {math.ceil((start - now) / 1000), present}
