/* Unit tests of the program table and of how a process is identified. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <string.h>

#include "listen/program.h"
#include "listen/services.h"

/* The name of what exe, comm and cmdline identify, "" for nothing. */
static const char *who(const char *exe, const char *comm, const char *cmdline,
		       enum prog_basis basis)
{
	struct prog_id id;

	prog_identify(exe, false, comm, cmdline, &id);
	assert_int_equal(id.basis, basis);
	return id.prog ? id.prog->name : "";
}

/* Every service a program names is the port table's (or has a description of its own), and
 * every service it serves besides is in the port table. */
static void table_services(void **state)
{
	unsigned n;
	const struct prog_info *v = prog_table(&n);

	(void)state;
	assert_true(n > 80);
	for (unsigned i = 0; i < n; i++) {
		const char *s = v[i].serves;

		assert_non_null(v[i].desc);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(v[i].name, v[j].name);
		while (s && *s) {
			size_t len = strcspn(s, " ");
			char name[64];

			assert_true(len < sizeof(name));
			memcpy(name, s, len);
			name[len] = '\0';
			if (!svc_builtin_named(name, IPPROTO_TCP) &&
			    !svc_builtin_named(name, IPPROTO_UDP))
				fail_msg("%s serves %s, not in the port table", v[i].name, name);
			s += len + (s[len] == ' ');
		}
	}
	/* The programs of the port table's services name them as the port table does. */
	assert_non_null(svc_builtin_named("postgresql", IPPROTO_TCP));
	assert_non_null(svc_builtin_named("dns", IPPROTO_UDP));
	assert_null(svc_builtin_named("postgresql", IPPROTO_UDP));
	assert_null(svc_builtin_named("nonesuch", IPPROTO_TCP));
}

/* Executables by name, with Debian's aliases and version suffixes. */
static void by_executable(void **state)
{
	(void)state;
	assert_string_equal(who("/usr/sbin/sshd", "sshd", "sshd: /usr/sbin/sshd -D",
				PROG_BY_EXE), "sshd");
	/* Debian's /usr/bin/redis-server links to redis-check-rdb: exe shows that name. */
	assert_string_equal(who("/usr/bin/redis-check-rdb", "redis-server",
				"/usr/bin/redis-server 127.0.0.1:6379", PROG_BY_EXE),
			    "redis-server");
	assert_string_equal(who("/usr/sbin/mariadbd", "mariadbd", NULL, PROG_BY_EXE), "mysqld");
	assert_string_equal(who("/usr/lib/postgresql/15/bin/postgres", "postgres", NULL,
				PROG_BY_EXE), "postgres");
	assert_string_equal(who("/usr/lib/postfix/sbin/master", "master", NULL, PROG_BY_EXE),
			    "postfix");
	/* "master" elsewhere is not postfix. */
	assert_string_equal(who("/opt/x/master", "master", NULL, PROG_BY_NONE), "");
	assert_string_equal(who("/usr/sbin/php-fpm8.2", "php-fpm8.2", NULL, PROG_BY_EXE),
			    "php-fpm");
	assert_string_equal(who("/usr/bin/prometheus-node-exporter", "prometheus-node", NULL,
				PROG_BY_EXE), "node_exporter");
	assert_string_equal(who("/usr/bin/prometheus-postgres-exporter", NULL, NULL, PROG_BY_EXE),
			    "exporter");
	assert_string_equal(who("/usr/bin/nginx", "nginx", "nginx: worker process", PROG_BY_EXE),
			    "nginx");
	assert_string_equal(who("/usr/sbin/dnsmasq", "dnsmasq", NULL, PROG_BY_EXE), "dnsmasq");
	assert_string_equal(who("/usr/local/bin/myapp", "myapp", NULL, PROG_BY_NONE), "");
}

/* Interpreters and busybox: what they run is in their command line. */
static void by_signature(void **state)
{
	(void)state;
	assert_string_equal(who("/usr/bin/python3.11", "python3", "python3 -m http.server 5432",
				PROG_BY_EXE), "python3 http.server");
	assert_string_equal(who("/usr/bin/python3.11", "python3", "python3 -m http.serverx",
				PROG_BY_EXE), "python3");
	assert_string_equal(who("/usr/bin/python3.11", "python3", "python3 app.py", PROG_BY_EXE),
			    "python3");
	assert_string_equal(who("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "java",
				"/usr/bin/java -Xms1g -cp /usr/share/elasticsearch/lib/* "
				"org.elasticsearch.bootstrap.Elasticsearch", PROG_BY_EXE),
			    "elasticsearch");
	assert_string_equal(who("/usr/bin/java", "java", "java -cp x kafka.Kafka server.properties",
				PROG_BY_EXE), "kafka");
	assert_string_equal(who("/usr/lib/erlang/erts-13.1/bin/beam.smp", "beam.smp",
				"/usr/lib/erlang/erts-13.1/bin/beam.smp -W w -- "
				"-root /usr/lib/erlang "
				"-s rabbit boot", PROG_BY_EXE), "rabbitmq");
	assert_string_equal(who("/usr/bin/node", "node", "node server.js", PROG_BY_EXE), "node");
	assert_string_equal(who("/usr/bin/php8.2", "php", "php -S 0.0.0.0:8000", PROG_BY_EXE),
			    "php -S");
	assert_string_equal(who("/usr/bin/busybox", "httpd", "httpd -f -p 8080", PROG_BY_EXE),
			    "busybox httpd");
	assert_string_equal(who("/bin/busybox", "udhcpd", "/sbin/udhcpd -f", PROG_BY_EXE),
			    "busybox udhcpd");
	assert_string_equal(who("/bin/busybox", "busybox", "busybox httpd -f -p 80", PROG_BY_EXE),
			    "busybox httpd");
	assert_string_equal(who("/bin/busybox", "sh", "sh", PROG_BY_EXE), "busybox");
}

/* The executable decides; the name stands in only without it, marked weaker; a name claiming
 * another program is a disagreement. */
static void precedence(void **state)
{
	struct prog_id id;

	(void)state;
	/* A process calling itself sshd but running /tmp/x is not sshd. */
	prog_identify("/tmp/x", false, "sshd", "sshd", &id);
	assert_null(id.prog);
	assert_int_equal(id.basis, PROG_BY_NONE);
	assert_non_null(id.claimed);
	assert_string_equal(id.claimed->name, "sshd");
	/* A python program renaming itself sshd: python, claiming sshd. */
	prog_identify("/usr/bin/python3.11", false, "sshd", "python3 fake.py", &id);
	assert_string_equal(id.prog->name, "python3");
	assert_string_equal(id.claimed->name, "sshd");
	/* Without the executable the name is taken, weaker, and nothing can disagree. */
	prog_identify(NULL, false, "sshd", "sshd: /usr/sbin/sshd -D", &id);
	assert_string_equal(id.prog->name, "sshd");
	assert_int_equal(id.basis, PROG_BY_COMM);
	assert_null(id.claimed);
	prog_identify(NULL, false, "python3", "python3 -m http.server", &id);
	assert_string_equal(id.prog->name, "python3 http.server");
	assert_int_equal(id.basis, PROG_BY_COMM);
	/* Aliases and names cut to 15 bytes are no disagreement. */
	prog_identify("/usr/bin/redis-check-rdb", false, "redis-server", NULL, &id);
	assert_null(id.claimed);
	prog_identify("/usr/lib/systemd/systemd-resolved", false, "systemd-resolve", NULL, &id);
	assert_string_equal(id.prog->name, "systemd-resolved");
	assert_null(id.claimed);
	/* A script naming itself is no claim when the name is an interpreter's. */
	prog_identify("/usr/bin/node", false, "python3", NULL, &id);
	assert_null(id.claimed);
	/* A deleted executable: its name still tells, and it is marked. */
	prog_identify("/usr/sbin/nginx (deleted)", true, "nginx", NULL, &id);
	assert_string_equal(id.prog->name, "nginx");
	assert_true(id.exe_deleted);
	assert_null(id.claimed);
	/* A file really called "nginx (deleted)" that is not deleted is not nginx. */
	prog_identify("/tmp/nginx (deleted)", false, "nginx", NULL, &id);
	assert_null(id.prog);
	assert_non_null(id.claimed);
	/* Nothing at all. */
	prog_identify(NULL, false, NULL, NULL, &id);
	assert_null(id.prog);
	assert_int_equal(id.basis, PROG_BY_NONE);
}

/* Flags that state a risk for certain, and only for their program. */
static void flag_notes(void **state)
{
	struct prog_id id;

	(void)state;
	/* Redis retitles itself: its command line tells nothing of its flags. */
	prog_identify("/usr/bin/redis-check-rdb", false, "redis-server",
		      "/usr/bin/redis-server *:6379 --protected-mode no", &id);
	assert_null(id.flag_note);
	prog_identify("/usr/bin/python3", false, "jupyter-noteboo",
		      "/usr/bin/python3 /usr/bin/jupyter-notebook --NotebookApp.token=", &id);
	assert_string_equal(id.prog->name, "jupyter");
	assert_string_equal(id.flag_note, "empty token on the command line: no auth");
	prog_identify("/usr/bin/python3", false, "jupyter-noteboo",
		      "/usr/bin/python3 /usr/bin/jupyter-notebook --NotebookApp.token=abc", &id);
	assert_null(id.flag_note);
	prog_identify("/usr/bin/memcached", false, "memcached", "--skip-grant-tables", &id);
	assert_null(id.flag_note);
	prog_identify("/usr/sbin/mariadbd", false, "mariadbd", "mariadbd --skip-grant-tables",
		      &id);
	assert_non_null(id.flag_note);
}

/* What a program serves besides its own service. */
static void serves(void **state)
{
	struct prog_id id;

	(void)state;
	prog_identify("/usr/sbin/nginx", false, "nginx", NULL, &id);
	assert_true(prog_serves(id.prog, "http"));
	assert_true(prog_serves(id.prog, "https"));
	assert_true(prog_serves(id.prog, "http-alt"));
	assert_false(prog_serves(id.prog, "http-a"));
	assert_false(prog_serves(id.prog, "postgresql"));
	prog_identify("/usr/bin/python3", false, "python3", "python3 x.py", &id);
	assert_false(prog_serves(id.prog, "postgresql"));
	assert_false(prog_serves(NULL, "http"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_services), cmocka_unit_test(by_executable),
		cmocka_unit_test(by_signature),	  cmocka_unit_test(precedence),
		cmocka_unit_test(flag_notes),	  cmocka_unit_test(serves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
