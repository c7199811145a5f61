// A C++17 service deciding what to do after the server sent a message.
#include <cstdio>
#include <string_view>

#include <sixmm/errinfo.h>

int main()
{
    constexpr std::string_view message = "Timestamp outside of tolerance window";
    const sixmm_entry *e = sixmm_lookup_message(SIXMM_DOMAIN_REST, message.data(), message.size());
    std::printf("%s: retry class %s\n", sixmm_entry_name(e), sixmm_retry_name(sixmm_entry_retry(e)));
    return sixmm_entry_retry(e) == SIXMM_RETRY_RESYNC_CLOCK ? 0 : 1;
}
