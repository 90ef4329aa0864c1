/* test_driver_conf.c: the test driver's configuration: built-in default, <node> files, capabilities */

#define G_LOG_DOMAIN "virtkit.test.conf"

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_messages.h"
#include "test_driver_priv.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define TEST_MODEL "i686"
#define TEST_EMULATOR "/usr/bin/test-hv"
#define TEST_CPUS_PER_CELL 8

/* Node files are small; refuse anything absurd before reading it. */
#define TEST_NODE_FILE_MAX (64 * 1024 * 1024)

/* Number of virDomainState values in libvirt 9.0 (RUNNING .. PMSUSPENDED). */
#define TEST_DOMAIN_STATE_LAST 8

static const virNodeInfo testDefaultNodeInfo = {
    .model = TEST_MODEL,
    .memory = 3 * 1024 * 1024,
    .cpus = 16,
    .mhz = 1400,
    .nodes = 2,
    .sockets = 2,
    .cores = 2,
    .threads = 2,
};

/*
 * The built-in configuration of test:///default: libvirt 9.0's `test`
 * domain with its devices and addresses. It is loaded through the same
 * path as a user's <node> file. Networks, interfaces, pools and node
 * devices of libvirt's default config are not modelled by virtkit.
 */
static const char testDefaultNodeXML[] =
    "<node>\n"
    "  <domain type='test'>\n"
    "    <name>test</name>\n"
    "    <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "    <memory>8388608</memory>\n"
    "    <currentMemory>2097152</currentMemory>\n"
    "    <vcpu>2</vcpu>\n"
    "    <os>\n"
    "      <type>hvm</type>\n"
    "    </os>\n"
    "    <devices>\n"
    "      <disk type='file' device='disk'>\n"
    "        <source file='/guest/diskimage1'/>\n"
    "        <target dev='vda' bus='virtio'/>\n"
    "        <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
    "      </disk>\n"
    "      <interface type='network'>\n"
    "        <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "        <source network='default'/>\n"
    "        <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"
    "      </interface>\n"
    "      <memballoon model='virtio'>\n"
    "        <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
    "      </memballoon>\n"
    "    </devices>\n"
    "  </domain>\n"
    "</node>\n";

testDriver *
testDriverNew(void)
{
    testDriver *driver = g_new0(testDriver, 1);

    g_mutex_init(&driver->lock);
    driver->nodeInfo = testDefaultNodeInfo;
    driver->domains = virDomainObjListNew();
    driver->eventState = virObjectEventStateNew();
    driver->networks = virNetworkObjListNew();
    driver->pools = virStoragePoolObjListNew();
    testInterfaceLoadDefault(driver);
    driver->nodedevs = testNodeDeviceLoadDefault();
    return driver;
}

void
testDriverFree(testDriver *driver)
{
    size_t i;

    if (!driver)
        return;
    for (i = 0; i < driver->nauthUsers; i++) {
        g_free(driver->authUsers[i].username);
        g_free(driver->authUsers[i].password);
    }
    g_free(driver->authUsers);
    virObjectEventStateFree(driver->eventState);
    virStoragePoolObjListFree(driver->pools);
    virDomainObjListFree(driver->domains);
    virNetworkObjListFree(driver->networks);
    testInterfaceFreeAll(driver);
    virNodeDeviceObjListFree(driver->nodedevs);
    g_free(driver->capsXML);
    g_mutex_clear(&driver->lock);
    g_free(driver);
}

/* ---- Capabilities ----------------------------------------------------- */

/*
 * libvirt's capabilities document for the test driver. @ncells NUMA cells
 * of TEST_CPUS_PER_CELL cpus each; cell i has (i + 1) * 2 GiB and uses
 * 4 KiB pages (cell 1: 8 KiB pages), as libvirt's test driver reports.
 * A driver loaded from a file has no cells.
 */
static char *
testCapabilitiesFormat(int ncells)
{
    GString *buf = g_string_sized_new(4096);
    static const char *const guestTypes[] = { "hvm", "xen" };
    int i;
    int j;

    g_string_append(buf, "<capabilities>\n\n"
                         "  <host>\n"
                         "    <cpu>\n"
                         "      <arch>" TEST_MODEL "</arch>\n"
                         "      <features>\n"
                         "        <pae/>\n"
                         "        <nonpae/>\n"
                         "      </features>\n"
                         "      <pages unit='KiB' size='4'/>\n"
                         "      <pages unit='KiB' size='8'/>\n"
                         "      <pages unit='KiB' size='2048'/>\n"
                         "      <pages unit='KiB' size='1048576'/>\n"
                         "    </cpu>\n"
                         "    <power_management/>\n"
                         "    <iommu support='no'/>\n"
                         "    <topology>\n");
    g_string_append_printf(buf, "      <cells num='%d'>\n", ncells);
    for (i = 0; i < ncells; i++) {
        unsigned long long mem = (unsigned long long)(i + 1) * 2048 * 1024;
        unsigned int pageSize = i == 1 ? 8 : 4;

        g_string_append_printf(buf, "        <cell id='%d'>\n", i);
        g_string_append_printf(buf, "          <memory unit='KiB'>%llu</memory>\n", mem);
        g_string_append_printf(buf,
                               "          <pages unit='KiB' size='%u'>%llu</pages>\n",
                               pageSize, mem / pageSize);
        g_string_append(buf, "          <pages unit='KiB' size='2048'>0</pages>\n"
                             "          <pages unit='KiB' size='1048576'>0</pages>\n");
        g_string_append_printf(buf, "          <cpus num='%d'>\n", TEST_CPUS_PER_CELL);
        for (j = 0; j < TEST_CPUS_PER_CELL; j++) {
            int id = i * TEST_CPUS_PER_CELL + j;

            g_string_append_printf(buf,
                                   "            <cpu id='%d' socket_id='%d' die_id='0' "
                                   "core_id='%d' siblings='%d'/>\n",
                                   id, i, j, id);
        }
        g_string_append(buf, "          </cpus>\n"
                             "        </cell>\n");
    }
    g_string_append(buf, "      </cells>\n"
                         "    </topology>\n"
                         "    <secmodel>\n"
                         "      <model>testSecurity</model>\n"
                         "      <doi></doi>\n"
                         "    </secmodel>\n"
                         "  </host>\n\n");
    for (i = 0; i < (int)G_N_ELEMENTS(guestTypes); i++) {
        g_string_append_printf(buf,
                               "  <guest>\n"
                               "    <os_type>%s</os_type>\n"
                               "    <arch name='" TEST_MODEL "'>\n"
                               "      <wordsize>32</wordsize>\n"
                               "      <emulator>" TEST_EMULATOR "</emulator>\n"
                               "      <domain type='test'/>\n"
                               "    </arch>\n"
                               "    <features>\n"
                               "      <pae/>\n"
                               "      <nonpae/>\n"
                               "    </features>\n"
                               "  </guest>\n\n",
                               guestTypes[i]);
    }
    g_string_append(buf, "</capabilities>\n");
    return g_string_free(buf, FALSE);
}

/* ---- XML documents ---------------------------------------------------- */

typedef struct {
    const char *url; /* name used in messages */
    bool reported;
} testXMLParseState;

/*
 * Report the first fatal libxml2 error of a parse as libvirt does:
 * XML_DETAIL "URL:LINE: MESSAGE\nTEXT\n----^" where TEXT is the offending
 * line (at most 80 characters, "(null)" when empty) and the caret points at
 * the column where the parser stopped.
 */
static void
testXMLStructuredError(void *userData, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = userData;
    testXMLParseState *state;
    const xmlChar *base;
    const xmlChar *cur;
    const xmlChar *start;
    g_autoptr(GString) content = NULL;
    g_autoptr(GString) pointer = NULL;
    size_t col;
    size_t i;

    if (!ctxt || !err || !ctxt->_private)
        return;
    state = ctxt->_private;
    if (state->reported || err->level != XML_ERR_FATAL || !err->message || !ctxt->input ||
        !ctxt->input->base || !ctxt->input->cur)
        return;
    state->reported = true;

    base = ctxt->input->base;
    cur = ctxt->input->cur;
    while (cur > base && (*cur == '\n' || *cur == '\r'))
        cur--;
    while (cur > base && *cur != '\n' && *cur != '\r')
        cur--;
    if (*cur == '\n' || *cur == '\r')
        cur++;
    start = cur;
    col = ctxt->input->cur - start;

    content = g_string_new(NULL);
    while (*cur && *cur != '\n' && *cur != '\r' && content->len < 80)
        g_string_append_c(content, *cur++);

    pointer = g_string_new(NULL);
    for (i = 0; i < col && i < content->len; i++)
        g_string_append_c(pointer, start[i] == '\t' ? '\t' : '-');
    g_string_append_c(pointer, '^');

    virReportError(VIR_ERR_XML_DETAIL, "%s:%d: %s%s\n%s", state->url, err->line,
                   err->message, content->len ? content->str : "(null)", pointer->str);
}

/*
 * Parse @len bytes of @data (named @url in messages) into a document whose
 * root element must be @root. Entities are not expanded and nothing is
 * fetched from the network. Returns the document or NULL (reported).
 */
static xmlDocPtr
testXMLParse(const char *data, size_t len, const char *url, const char *root)
{
    testXMLParseState state = { .url = url };
    xmlParserCtxtPtr ctxt = NULL;
    xmlDocPtr doc = NULL;
    xmlNodePtr top;

    if (!(ctxt = xmlNewParserCtxt())) {
        virReportError(VIR_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    ctxt->_private = &state;
    ctxt->sax->serror = testXMLStructuredError;
    ctxt->sax->error = NULL;
    ctxt->sax->warning = NULL;
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;

    doc = xmlCtxtReadMemory(ctxt, data, (int)len, url, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    xmlFreeParserCtxt(ctxt);

    if (!doc) {
        if (!state.reported)
            virReportError(VIR_ERR_XML_ERROR, "failed to parse xml document '%s'", url);
        return NULL;
    }

    /* Entities are never expanded; a document that declares any is
     * refused outright rather than read with holes in it. */
    if (doc->intSubset && doc->intSubset->entities &&
        xmlHashSize((xmlHashTablePtr)doc->intSubset->entities) > 0) {
        virReportError(VIR_ERR_XML_ERROR, "entity declarations are not supported in '%s'",
                       url);
        xmlFreeDoc(doc);
        return NULL;
    }

    top = xmlDocGetRootElement(doc);
    if (!top || !xmlStrEqual(top->name, BAD_CAST root)) {
        virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __func__,
                           "expecting root element of '%s', not '%s'", root,
                           top ? (const char *)top->name : "");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* Read and parse the file @path; its root must be @root. A file that
 * cannot be read gives libvirt's "failed to parse xml document". */
static xmlDocPtr
testXMLParseFile(const char *path, const char *root)
{
    g_autofree char *data = NULL;
    gsize len = 0;

    if (g_file_test(path, G_FILE_TEST_IS_DIR))
        return testXMLParse("", 0, path, root);

    if (!g_file_get_contents(path, &data, &len, NULL) || len > TEST_NODE_FILE_MAX) {
        virReportError(VIR_ERR_XML_ERROR, "failed to parse xml document '%s'", path);
        return NULL;
    }
    return testXMLParse(data, len, path, root);
}

/* The first child element of @node named @name (no namespace), or NULL. */
static xmlNodePtr
testXMLChild(xmlNodePtr node, const char *name)
{
    xmlNodePtr cur;

    for (cur = node ? node->children : NULL; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && !cur->ns &&
            xmlStrEqual(cur->name, BAD_CAST name))
            return cur;
    }
    return NULL;
}

/*
 * Text of @node from its text and CDATA children only. Entities are never
 * substituted when parsing, so entity references stay in the tree; they are
 * skipped here rather than expanded, so no document can amplify itself
 * (xmlNodeGetContent and xmlGetProp would expand them). Never NULL.
 */
static char *
testXMLNodeText(xmlNodePtr node)
{
    GString *buf = g_string_new(NULL);
    xmlNodePtr cur;

    for (cur = node ? node->children : NULL; cur; cur = cur->next) {
        if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) &&
            cur->content)
            g_string_append(buf, (const char *)cur->content);
    }
    return g_string_free(buf, FALSE);
}

/* Attribute @name of @node (text only, as testXMLNodeText), NULL if absent. */
static char *
testXMLProp(xmlNodePtr node, const char *name)
{
    xmlAttrPtr attr = xmlHasProp(node, BAD_CAST name);

    if (!attr || attr->type != XML_ATTRIBUTE_NODE)
        return NULL;
    return testXMLNodeText((xmlNodePtr)attr);
}

/*
 * The text of @node as a long, the way libvirt's virXPathLong reads
 * string(...): 1 and *value set when present and numeric, 0 when absent or
 * empty, -1 when present but not a base-10 number.
 */
static int
testXMLNodeLong(xmlNodePtr node, long *value)
{
    g_autofree char *text = NULL;
    char *end = NULL;
    long l;

    if (!node)
        return 0;
    text = testXMLNodeText(node);
    if (!*text)
        return 0;
    errno = 0;
    l = strtol(text, &end, 10);
    if (errno || end == text || *end)
        return -1;
    *value = l;
    return 1;
}

/* Read /node/cpu/... and /node/memory into @info (missing values keep the
 * defaults), as libvirt's test driver does. */
static int
testParseNodeInfo(xmlNodePtr root, virNodeInfo *info)
{
    static const struct {
        const char *name;
        size_t offset;
    } cpuFields[] = {
        { "nodes", G_STRUCT_OFFSET(virNodeInfo, nodes) },
        { "sockets", G_STRUCT_OFFSET(virNodeInfo, sockets) },
        { "cores", G_STRUCT_OFFSET(virNodeInfo, cores) },
        { "threads", G_STRUCT_OFFSET(virNodeInfo, threads) },
    };
    xmlNodePtr cpu = testXMLChild(root, "cpu");
    xmlNodePtr model;
    long l = 0;
    size_t i;
    int rc;

    for (i = 0; i < G_N_ELEMENTS(cpuFields); i++) {
        rc = testXMLNodeLong(testXMLChild(cpu, cpuFields[i].name), &l);
        if (rc < 0) {
            virReportError(VIR_ERR_XML_ERROR, "invalid node cpu %s value",
                           cpuFields[i].name);
            return -1;
        }
        if (rc > 0)
            G_STRUCT_MEMBER(unsigned int, info, cpuFields[i].offset) = l;
    }

    info->cpus = info->cores * info->threads * info->sockets * info->nodes;
    rc = testXMLNodeLong(testXMLChild(cpu, "active"), &l);
    if (rc < 0) {
        virReportError(VIR_ERR_XML_ERROR, "invalid node cpu active value");
        return -1;
    }
    if (rc > 0 && l < (long)info->cpus)
        info->cpus = l;

    rc = testXMLNodeLong(testXMLChild(cpu, "mhz"), &l);
    if (rc < 0) {
        virReportError(VIR_ERR_XML_ERROR, "invalid node cpu mhz value");
        return -1;
    }
    if (rc > 0)
        info->mhz = l;

    if ((model = testXMLChild(cpu, "model"))) {
        g_autofree char *str = testXMLNodeText(model);

        if (strlen(str) >= sizeof(info->model)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Model %s too big for destination",
                           str);
            return -1;
        }
        g_strlcpy(info->model, str, sizeof(info->model));
    }

    rc = testXMLNodeLong(testXMLChild(root, "memory"), &l);
    if (rc < 0) {
        virReportError(VIR_ERR_XML_ERROR, "invalid node memory value");
        return -1;
    }
    if (rc > 0)
        info->memory = l;
    return 0;
}

/* What the test namespace says about one <domain> of a node file. */
typedef struct {
    int runstate;
    bool transient;
} testDomainNsData;

/*
 * Read and remove the test-namespace children of @dom (so the generic
 * parser never sees them). Errors as libvirt's test driver.
 */
static int
testDomainNsParse(xmlNodePtr dom, testDomainNsData *ns)
{
    xmlNodePtr cur = dom->children;
    bool haveRunstate = false;

    ns->runstate = VIR_DOMAIN_RUNNING;
    ns->transient = false;

    while (cur) {
        xmlNodePtr next = cur->next;

        if (cur->type == XML_ELEMENT_NODE && cur->ns && cur->ns->href &&
            xmlStrEqual(cur->ns->href, BAD_CAST TEST_DOMAIN_NAMESPACE)) {
            if (xmlStrEqual(cur->name, BAD_CAST "runstate") && !haveRunstate) {
                g_autofree char *text = testXMLNodeText(cur);
                char *end = NULL;
                unsigned long val;

                haveRunstate = true;
                if (*text) {
                    errno = 0;
                    val = strtoul(text, &end, 10);
                    if (errno || end == text || *end || text[0] == '-' ||
                        val > G_MAXUINT) {
                        virReportError(VIR_ERR_XML_ERROR, "invalid runstate");
                        return -1;
                    }
                    if (val >= TEST_DOMAIN_STATE_LAST) {
                        virReportError(VIR_ERR_XML_ERROR, "runstate '%d' out of range'",
                                       (int)val);
                        return -1;
                    }
                    ns->runstate = val;
                }
            } else if (xmlStrEqual(cur->name, BAD_CAST "transient")) {
                ns->transient = true;
            } else if (xmlStrEqual(cur->name, BAD_CAST "hasmanagedsave")) {
                virReportError(
                    VIR_ERR_CONFIG_UNSUPPORTED,
                    "managed save images are not supported by this test driver");
                return -1;
            }
            xmlUnlinkNode(cur);
            xmlFreeNode(cur);
        }
        cur = next;
    }

    if (ns->transient && ns->runstate == VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_XML_ERROR,
                       "transient domain cannot have runstate 'shutoff'");
        return -1;
    }
    return 0;
}

/* Serialize @node (a <domain> element) to a standalone document string. */
static char *
testXMLNodeToString(xmlDocPtr doc, xmlNodePtr node)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *ret;

    if (!buf)
        return NULL;
    xmlNodeDump(buf, doc, node, 0, 0);
    ret = g_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return ret;
}

/* Load one <network> of a node document (inline, or <network file='...'/>
 * relative to @file's directory): running, as libvirt's test driver. */
static int
testParseNetwork(testDriver *driver, const char *file, xmlDocPtr doc, xmlNodePtr node)
{
    g_autofree char *relFile = testXMLProp(node, "file");
    g_autofree char *xml = NULL;

    if (relFile) {
        g_autofree char *absFile = NULL;
        g_autofree char *dir = file ? g_path_get_dirname(file) : g_strdup(".");

        absFile = g_path_is_absolute(relFile) ? g_strdup(relFile)
                                              : g_build_filename(dir, relFile, NULL);
        if (!g_file_get_contents(absFile, &xml, NULL, NULL)) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "cannot read network file '%s'",
                           absFile);
            return -1;
        }
    } else if (!(xml = testXMLNodeToString(doc, node))) {
        virReportError(VIR_ERR_NO_MEMORY, NULL);
        return -1;
    }
    return testNetworkLoadDef(driver, xml);
}

/* libvirt's test driver marks what it can of a domain of a node file as
 * tainted, once, at load (never again, never cleared): a host CD-ROM (a
 * block cdrom with a source), and the made-up CPU model "Deprecated-Test"
 * as deprecated. (Its other reasons, raw I/O, interface scripts and a
 * custom DTB, are elements virtkit refuses.) @obj locked. */
static void
testDomainObjCheckTaint(virDomainObj *obj)
{
    const virDomainCpuDef *cpu = obj->def->cpu;

    for (size_t i = 0; i < obj->def->ndisks; i++) {
        const virDomainDiskDef *disk = obj->def->disks[i];

        if (disk->device == VIR_DOMAIN_DISK_DEVICE_CDROM &&
            disk->type == VIR_DOMAIN_DISK_TYPE_BLOCK && disk->src)
            virDomainObjTaint(obj, VIR_DOMAIN_TAINT_CDROM_PASSTHROUGH);
    }
    if (cpu && cpu->mode == VIR_DOMAIN_CPU_MODE_CUSTOM &&
        g_strcmp0(cpu->model, "Deprecated-Test") == 0) {
        virDomainObjTaint(obj, VIR_DOMAIN_TAINT_DEPRECATED_CONFIG);
        virDomainObjDeprecation(obj, "CPU model Deprecated-Test");
    }
}

int
testDomainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    virDomainObj *obj;
    int n;

    virCheckFlags(VIR_DOMAIN_MESSAGE_DEPRECATION | VIR_DOMAIN_MESSAGE_TAINTING, -1);
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    n = virDomainObjGetMessages(obj, msgs, flags);
    virDomainObjEndAPI(&obj);
    return n;
}

/* Load one <domain> of a node document (inline, or <domain file='...'/>
 * relative to @file's directory) into @driver. */
static int
testParseDomain(testDriver *driver, const char *file, xmlDocPtr doc, xmlNodePtr node)
{
    g_autofree char *relFile = testXMLProp(node, "file");
    xmlDocPtr subdoc = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(virDomainDef) def = NULL;
    virDomainObj *obj = NULL;
    testDomainNsData ns;
    int ret = -1;

    if (relFile) {
        g_autofree char *absFile = NULL;

        if (g_path_is_absolute(relFile)) {
            absFile = g_strdup(relFile);
        } else {
            g_autofree char *dir = g_path_get_dirname(file ? file : ".");
            absFile = g_build_filename(dir, relFile, NULL);
        }
        if (!(subdoc = testXMLParseFile(absFile, "domain")))
            return -1;
        doc = subdoc;
        node = xmlDocGetRootElement(subdoc);
    }

    if (testDomainNsParse(node, &ns) < 0)
        goto cleanup;
    if (!(xml = testXMLNodeToString(doc, node))) {
        virReportError(VIR_ERR_NO_MEMORY, NULL);
        goto cleanup;
    }
    if (!(def = virDomainDefParseString(xml, VIR_DOMAIN_DEF_PARSE_INACTIVE)))
        goto cleanup;
    if (testDomainDefPostParse(def) < 0)
        goto cleanup;
    if (!(obj = virDomainObjListAdd(driver->domains, &def, 0, NULL)))
        goto cleanup;

    obj->persistent = !ns.transient;
    if (ns.runstate != VIR_DOMAIN_SHUTOFF)
        testDomainStartState(driver, obj, VIR_DOMAIN_RUNNING_BOOTED);
    else
        testDomainShutdownState(obj, NULL, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    /* libvirt then forces the file's state with reason 0 ("unknown"). */
    virDomainObjSetState(obj, ns.runstate, 0);
    testDomainObjCheckTaint(obj);
    testDomainIOThreadsGenerate(obj);
    virDomainObjEndAPI(&obj);
    ret = 0;

cleanup:
    if (subdoc)
        xmlFreeDoc(subdoc);
    return ret;
}

/* Read /node/auth/user: the text is the user name, password= optional. */
static int
testParseAuthUsers(testDriver *driver, xmlNodePtr root)
{
    xmlNodePtr auth = testXMLChild(root, "auth");
    xmlNodePtr cur;
    size_t n = 0;

    for (cur = auth ? auth->children : NULL; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && !cur->ns &&
            xmlStrEqual(cur->name, BAD_CAST "user"))
            n++;
    }
    if (n == 0)
        return 0;

    driver->authUsers = g_new0(testAuthUser, n);
    for (cur = auth->children; cur; cur = cur->next) {
        testAuthUser *user;

        if (cur->type != XML_ELEMENT_NODE || cur->ns ||
            !xmlStrEqual(cur->name, BAD_CAST "user"))
            continue;
        user = &driver->authUsers[driver->nauthUsers++];
        user->username = testXMLNodeText(cur);
        user->password = testXMLProp(cur, "password");
        if (!*user->username) {
            virReportError(VIR_ERR_XML_ERROR, "%s",
                           "missing username in /node/auth/user field");
            return -1;
        }
    }
    return 0;
}

/* Ask @auth for one credential of @type (or @altType, when non-zero). */
static char *
testAuthAsk(virConnectAuthPtr auth, int type, int altType, const char *prompt,
            const char *missing, const char *failed)
{
    virConnectCredential cred = { 0 };
    unsigned int i;

    for (i = 0; i < auth->ncredtype; i++) {
        if (auth->credtype[i] == type || (altType && auth->credtype[i] == altType))
            break;
    }
    if (i == auth->ncredtype) {
        virReportErrorFull(VIR_FROM_AUTH, VIR_ERR_AUTH_FAILED, __func__, "%s", missing);
        return NULL;
    }
    cred.type = auth->credtype[i];
    cred.prompt = prompt;
    cred.challenge = "localhost";
    if (auth->cb(&cred, 1, auth->cbdata) < 0 || !cred.result) {
        g_free(cred.result);
        virReportErrorFull(VIR_FROM_AUTH, VIR_ERR_AUTH_FAILED, __func__, "%s", failed);
        return NULL;
    }
    return cred.result;
}

int
testDriverAuthenticate(testDriver *driver, virConnectAuthPtr auth)
{
    g_autofree char *username = NULL;
    g_autofree char *password = NULL;
    g_autofree char *prompt = NULL;
    const testAuthUser *user = NULL;
    size_t i;

    if (driver->nauthUsers == 0)
        return 0;

    if (!auth || !auth->cb) {
        virReportErrorFull(VIR_FROM_AUTH, VIR_ERR_INVALID_ARG, __func__, "%s",
                           "Missing authentication credentials");
        return -1;
    }
    if (!(username = testAuthAsk(
              auth, VIR_CRED_AUTHNAME, 0, "Enter username for localhost",
              "Missing VIR_CRED_AUTHNAME credential type", "Username request failed")))
        return -1;

    for (i = 0; i < driver->nauthUsers; i++) {
        if (g_str_equal(driver->authUsers[i].username, username))
            user = &driver->authUsers[i];
    }

    /* An unknown user is still asked for a password. */
    if (!user || user->password) {
        prompt = g_strdup_printf("Enter %s's password for localhost", username);
        if (!(password =
                  testAuthAsk(auth, VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, prompt,
                              "Missing VIR_CRED_PASSPHRASE or "
                              "VIR_CRED_NOECHOPROMPT credential type",
                              "Password request failed")))
            return -1;
    }

    if (!user || (user->password && !g_str_equal(user->password, password))) {
        virReportError(VIR_ERR_AUTH_FAILED, "%s",
                       "authentication failed, see test XML for the correct "
                       "username/password");
        return -1;
    }
    return 0;
}

/* Load a parsed <node> document. @file names it for relative paths (NULL
 * for the built-in config). */
static int
testParseNode(testDriver *driver, const char *file, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr cur;

    if (testParseNodeInfo(root, &driver->nodeInfo) < 0)
        return -1;

    for (cur = root->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE || cur->ns ||
            !xmlStrEqual(cur->name, BAD_CAST "domain"))
            continue;
        if (testParseDomain(driver, file, doc, cur) < 0)
            return -1;
    }
    for (cur = root->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE || cur->ns ||
            !xmlStrEqual(cur->name, BAD_CAST "network"))
            continue;
        if (testParseNetwork(driver, file, doc, cur) < 0)
            return -1;
    }
    return testParseAuthUsers(driver, root);
}

int
testDriverLoadDefault(testDriver *driver)
{
    xmlDocPtr doc;
    int ret;

    driver->nodeInfo = testDefaultNodeInfo;
    driver->capsXML = testCapabilitiesFormat(2);

    if (!(doc = testXMLParse(testDefaultNodeXML, strlen(testDefaultNodeXML),
                             "(test driver)", "node")))
        return -1;
    ret = testParseNode(driver, NULL, doc);
    xmlFreeDoc(doc);
    if (ret == 0)
        ret = testNetworkLoadDefault(driver);
    if (ret == 0)
        ret = testStorageLoadDefault(driver);
    return ret;
}

int
testDriverLoadFile(testDriver *driver, const char *path)
{
    xmlDocPtr doc;
    int ret;

    driver->nodeInfo = testDefaultNodeInfo;
    driver->capsXML = testCapabilitiesFormat(0);

    if (!(doc = testXMLParseFile(path, "node")))
        return -1;
    ret = testParseNode(driver, path, doc);
    xmlFreeDoc(doc);
    return ret;
}

/* ---- Definitions and state -------------------------------------------- */

static bool
testDomainDefHasIfname(const virDomainDef *def, const char *ifname)
{
    size_t i;

    for (i = 0; i < def->nnets; i++) {
        if (def->nets[i]->ifname && g_str_equal(def->nets[i]->ifname, ifname))
            return true;
    }
    return false;
}

int
testDomainDefPostParse(virDomainDef *def)
{
    size_t i;

    if (!def->os.arch)
        def->os.arch = g_strdup(TEST_MODEL);

    for (i = 0; i < def->nnets; i++) {
        virDomainNetDef *net = def->nets[i];

        if (!net->macSet) {
            guint32 r = g_random_int();

            net->mac[0] = 0x52;
            net->mac[1] = 0x54;
            net->mac[2] = 0x00;
            net->mac[3] = (r >> 16) & 0xff;
            net->mac[4] = (r >> 8) & 0xff;
            net->mac[5] = r & 0xff;
            net->macSet = true;
        }
    }

    for (i = 0; i < def->nnets; i++) {
        virDomainNetDef *net = def->nets[i];
        int n;

        if (net->ifname)
            continue;
        for (n = 0; n < 1024; n++) {
            g_autofree char *ifname = g_strdup_printf("testnet%d", n);

            if (!testDomainDefHasIfname(def, ifname)) {
                net->ifname = g_steal_pointer(&ifname);
                break;
            }
        }
        if (!net->ifname) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "Exceeded max iface limit %d", 1024);
            return -1;
        }
    }
    /* libvirt's device validation after the (test) driver's post-parse,
     * which fills no TPM default */
    return virDomainTPMsValidate(def, true);
}

static void
testDomainObjPrivateFree(void *data)
{
    testDomainObjPrivate *priv = data;

    if (priv->iothreads)
        g_array_unref(priv->iothreads);
    g_free(priv);
}

testDomainObjPrivate *
testDomainObjGetPrivate(virDomainObj *obj)
{
    if (!obj->privateData) {
        testDomainObjPrivate *priv = g_new0(testDomainObjPrivate, 1);

        priv->seconds = TEST_GUEST_CLOCK_SECONDS;
        priv->iothreads = g_array_new(FALSE, FALSE, sizeof(testIOThreadPoll));
        obj->privateData = priv;
        obj->privateDataFree = testDomainObjPrivateFree;
    }
    return obj->privateData;
}

void
testDomainStartState(testDriver *driver, virDomainObj *obj, int reason)
{
    obj->def->id = virDomainObjListNextID(driver->domains);
    virDomainObjSetState(obj, VIR_DOMAIN_RUNNING, reason);
    testDomainObjGetPrivate(obj)->hasNextDef = obj->persistent;
    obj->hasManagedSave = false; /* as libvirt: a start forgets the managed save */
}

void
testDomainShutdownState(virDomainObj *obj, virDomainPtr dom, int reason)
{
    if (obj->newDef) {
        virDomainDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    obj->def->id = -1;
    virDomainObjSetState(obj, VIR_DOMAIN_SHUTOFF, reason);
    testDomainObjGetPrivate(obj)->hasNextDef = false;
    if (dom)
        dom->id = -1;
}
