# cmake -DIN=quota.lua -DOUT=quota_script.h -P embed_script.cmake
# The Lua script as one C string, sixmm_redis_script, for EVAL and SCRIPT
# LOAD; the script's own file stays the one to read and edit.
file(READ "${IN}" text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
file(WRITE "${OUT}" "/* Generated from ${IN} by embed_script.cmake: do not edit. */\n"
                    "static const char sixmm_redis_script[] =\n    \"${text}\";\n")
