/* Socket addresses formatted exactly as ss formats them. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/addr.h"
#include "listen/sock.h"

char *addr_format(char *buf, int family, const unsigned char *addr, bool v6only)
{
	static const unsigned char any6[16];

	if (family == AF_INET) {
		inet_ntop(AF_INET, addr, buf, ADDR_STRLEN);
	} else if (!v6only && memcmp(addr, any6, sizeof(any6)) == 0) {
		strcpy(buf, "*");
	} else {
		buf[0] = '[';
		inet_ntop(AF_INET6, addr, buf + 1, ADDR_STRLEN - 2);
		strcat(buf, "]");
	}
	return buf;
}
