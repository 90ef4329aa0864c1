/* vksh.h: shared types of the vksh shell: command tables, parsed commands, the control block */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/*
 * vksh uses only the public libvirt API (include/libvirt/libvirt.h), so the
 * same source builds against libvirtkit.so and against Debian's libvirt.
 * Everything printed follows virsh 9.0 byte for byte (tests/data/vksh/).
 */

typedef enum {
    VKSH_OT_BOOL,   /* --name, no value */
    VKSH_OT_STRING, /* --name <string> */
    VKSH_OT_INT,    /* --name <number> */
    VKSH_OT_ARGV,   /* every remaining word of data: [<string>]... */
    VKSH_OT_ALIAS,  /* another name of the option .help names (virsh's
                     * "--total_bytes_sec" for "--total-bytes-sec"); hidden */
} vkshOptType;

enum {
    /* The option must be given; the help shows it as [--name] <string>. */
    VKSH_OFLAG_REQ = 1 << 0,
    /* A value option only given by its name, never filled by a bare word
     * (virsh's VSH_OT_STRING/INT options, e.g. schedinfo --weight). */
    VKSH_OFLAG_NAMED = 1 << 1,
    /* An argv option the help shows with its name: [[--set] <string>]... */
    VKSH_OFLAG_ARGV_SHOWNAME = 1 << 2,
};

typedef struct {
    const char *name;
    vkshOptType type;
    unsigned int flags;
    const char *help;
} vkshOptDef;

typedef struct _vkshControl vkshControl;
typedef struct _vkshCmd vkshCmd;

enum {
    /* Once its first option has a value, the remaining words are ignored
     * (virsh's help: "help destroy --graceful" shows destroy's help). */
    VKSH_CMD_FLAG_IGNORE_REST = 1 << 0,
    /* The command needs no connection (help, echo, connect, ...); others
     * reconnect first when a failed connect left none. */
    VKSH_CMD_FLAG_NOCONNECT = 1 << 1,
    /* The DESCRIPTION is printed as virsh prints its text, indented once
     * (its later lines as they are), not line by line. */
    VKSH_CMD_FLAG_DESC_RAW = 1 << 2,
};

typedef struct {
    const char *name;
    bool (*handler)(vkshControl *ctl, const vkshCmd *cmd);
    const vkshOptDef *opts; /* terminated by an entry with name == NULL */
    const char *help;       /* one line, shown in NAME and in group listings */
    const char *desc;       /* DESCRIPTION section, or NULL for none */
    unsigned int flags;
} vkshCmdDef;

typedef struct {
    const char *name;       /* "Domain Management" */
    const char *keyword;    /* "domain" */
    const vkshCmdDef *cmds; /* terminated by an entry with name == NULL */
} vkshCmdGroup;

/* One parsed command: its definition and the value given for each option. */
struct _vkshCmd {
    const vkshCmdDef *def;
    char **values;   /* indexed like def->opts; NULL when not given */
    GPtrArray *argv; /* the words of the VKSH_OT_ARGV option, if any */
    vkshCmd *next;
};

struct _vkshControl {
    virConnectPtr conn; /* NULL after a failed connect */
    char *uri;          /* the URI asked for, or NULL for the default */
    bool readonly;
    bool interactive; /* commands come from standard input */
    bool quiet;
    bool quit; /* set by quit/exit: run nothing more */
};

/* Command groups, defined in the per-group files. */
extern const vkshCmdDef vkshDomainCmds[];
extern const vkshCmdDef vkshMonitorCmds[];
extern const vkshCmdDef vkshEventCmds[];
extern const vkshCmdDef vkshHostCmds[];
extern const vkshCmdDef vkshSelfCmds[];
extern const vkshCmdDef vkshSecretCmds[];
extern const vkshCmdDef vkshNetworkCmds[]; /* vksh-network.c */
/* vksh-netport.c, listed in vkshNetworkCmds */
extern const vkshOptDef vkshOptsNetPortList[], vkshOptsNetPortCreate[],
    vkshOptsNetPortDumpxml[], vkshOptsNetPortDelete[];
bool vkshCmdNetPortList(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNetPortCreate(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNetPortDumpxml(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNetPortDelete(vkshControl *ctl, const vkshCmd *cmd);
#ifdef VKSH_WITH_VIRTKIT
extern const vkshCmdDef vkshVirtkitCmds[]; /* vksh-virtkit.c (libvirtkit only) */
extern const vkshCmdDef vkshJournalCmds[]; /* vksh-journal.c (libvirtkit only) */
#endif
extern const vkshCmdDef vkshNodedevCmds[];
/* vksh-nodedevcreate.c, listed in vkshNodedevCmds */
extern const vkshOptDef vkshOptsNodedevCreate[], vkshOptsNodedevDevice[],
    vkshOptsNodedevStart[];
bool vkshCmdNodedevCreate(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNodedevDefine(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNodedevDestroy(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNodedevUndefine(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNodedevStart(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsNodedevAutostart[];
bool vkshCmdNodedevAutostart(vkshControl *ctl, const vkshCmd *cmd);
/* vksh-hostdev.c, listed in vkshNodedevCmds */
extern const vkshOptDef vkshOptsNodedevDetach[], vkshOptsNodedevKey[];
bool vkshCmdNodedevDetach(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNodedevReattach(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNodedevReset(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshCmdDef vkshInterfaceCmds[];
extern const vkshCmdDef vkshSnapshotCmds[];   /* vksh-snapshot.c */
extern const vkshCmdDef vkshCheckpointCmds[]; /* vksh-checkpoint.c */
extern const vkshCmdDef vkshBackupCmds[];     /* vksh-backup.c */
extern const vkshCmdDef vkshNWFilterCmds[];   /* vksh-nwfilter.c */
/* vksh-objevent.c: net-event, pool-event, nodedev-event, secret-event,
 * listed in their groups' tables */
extern const vkshOptDef vkshOptsNetEvent[], vkshOptsPoolEvent[], vkshOptsNodedevEvent[],
    vkshOptsSecretEvent[];
bool vkshCmdNetEvent(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdPoolEvent(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdNodedevEvent(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdSecretEvent(vkshControl *ctl, const vkshCmd *cmd);
/* virsh's words for network and pool events (NULL-terminated), and the
 * @i-th of @words, NULL past its end */
extern const char *const vkshNetEventWords[];
extern const char *const vkshPoolEventIds[];
extern const char *const vkshPoolEventWords[];
const char *vkshWordAt(const char *const *words, int i);
/* vksh-event.c: virsh's name of domain event @id (NULL if none), of a
 * lifecycle event's type and of its detail ("unknown" if none) */
const char *vkshDomainEventName(int id);
const char *vkshEventTypeToString(int event);
const char *vkshEventDetailToString(int event, int detail);
extern const vkshCmdGroup vkshGroups[];

/* Commands of their own files, listed in a group's table (vksh-sched.c,
 * vksh-console.c). */
extern const vkshOptDef vkshOptsSchedinfo[];
bool vkshCmdSchedinfo(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsDomdisplay[];
bool vkshCmdDomdisplay(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsScreenshot[];
bool vkshCmdScreenshot(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsConsole[];
bool vkshCmdConsole(vkshControl *ctl, const vkshCmd *cmd);
/* vksh-hostquery.c */
extern const vkshOptDef vkshOptsFreecell[];
bool vkshCmdFreecell(vkshControl *ctl, const vkshCmd *cmd);
/* vksh-hugepages.c */
extern const vkshOptDef vkshOptsFreepages[];
bool vkshCmdFreepages(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsAllocpages[];
bool vkshCmdAllocpages(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsNodecpumap[];
bool vkshCmdNodecpumap(vkshControl *ctl, const vkshCmd *cmd);
bool vkshCmdSysinfo(vkshControl *ctl, const vkshCmd *cmd);
/* vksh-hostcpu.c: host and CPU facts */
extern const vkshOptDef vkshOptsDomcapabilities[];
bool vkshCmdDomcapabilities(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsCpuModels[];
bool vkshCmdCpuModels(vkshControl *ctl, const vkshCmd *cmd);
/* vksh-cpucmp.c */
extern const vkshOptDef vkshOptsCpuCompare[];
bool vkshCmdCpuCompare(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsCpuBaseline[];
bool vkshCmdCpuBaseline(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsHypervisorCpuCompare[];
bool vkshCmdHypervisorCpuCompare(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsHypervisorCpuBaseline[];
bool vkshCmdHypervisorCpuBaseline(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsMaxvcpus[];
bool vkshCmdMaxvcpus(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsNodeMemoryTune[];
bool vkshCmdNodeMemoryTune(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsSendKey[];
bool vkshCmdSendKey(vkshControl *ctl, const vkshCmd *cmd);
extern const vkshOptDef vkshOptsDomcontrol[];
bool vkshCmdDomcontrol(vkshControl *ctl, const vkshCmd *cmd);

/* Statistics commands (vksh-stats.c), listed in the groups above. */
#define VKSH_STATS_CMD(name)                  \
    extern const vkshOptDef vkshOpts##name[]; \
    bool vkshCmd##name(vkshControl *ctl, const vkshCmd *cmd);
VKSH_STATS_CMD(Domstats)
VKSH_STATS_CMD(Dommemstat)
VKSH_STATS_CMD(Domblkstat)
VKSH_STATS_CMD(Domifstat)
VKSH_STATS_CMD(Domblkinfo)
VKSH_STATS_CMD(Vcpuinfo)
VKSH_STATS_CMD(Domjobinfo)
VKSH_STATS_CMD(Nodecpustats)
VKSH_STATS_CMD(Nodememstats)
VKSH_STATS_CMD(CpuStats)
VKSH_STATS_CMD(Setmem) /* vksh-live.c */
VKSH_STATS_CMD(Setmaxmem)
VKSH_STATS_CMD(InjectNmi)
VKSH_STATS_CMD(SetLifecycleAction) /* vksh-power.c */
VKSH_STATS_CMD(Dompmsuspend)
VKSH_STATS_CMD(Dompmwakeup)
VKSH_STATS_CMD(Nodesuspend)
VKSH_STATS_CMD(SendProcessSignal)
VKSH_STATS_CMD(Domtime) /* vksh-agent.c */
VKSH_STATS_CMD(Domhostname)
VKSH_STATS_CMD(Domfsfreeze)
VKSH_STATS_CMD(Domfsthaw)
VKSH_STATS_CMD(Domfstrim)
VKSH_STATS_CMD(Domfsinfo)
VKSH_STATS_CMD(Guestinfo)
VKSH_STATS_CMD(SetUserPassword)
VKSH_STATS_CMD(GuestAgentTimeout)
VKSH_STATS_CMD(QemuAgentCommand)
VKSH_STATS_CMD(Guestvcpus)
VKSH_STATS_CMD(GetUserSshkeys)
VKSH_STATS_CMD(SetUserSshkeys)
VKSH_STATS_CMD(Domifaddr) /* vksh-ifaddr.c */
VKSH_STATS_CMD(Desc)      /* vksh-change.c */
VKSH_STATS_CMD(Metadata)
VKSH_STATS_CMD(Domrename)
/* vksh-save.c */
VKSH_STATS_CMD(Save)
VKSH_STATS_CMD(Restore)
VKSH_STATS_CMD(SaveImageDumpxml)
VKSH_STATS_CMD(SaveImageDefine)
VKSH_STATS_CMD(Managedsave)
VKSH_STATS_CMD(ManagedsaveRemove)
VKSH_STATS_CMD(ManagedsaveDumpxml)
VKSH_STATS_CMD(ManagedsaveDefine)
VKSH_STATS_CMD(Dump)
VKSH_STATS_CMD(Setvcpus)
VKSH_STATS_CMD(Setvcpu)
VKSH_STATS_CMD(Vcpucount)
VKSH_STATS_CMD(Blockresize)
VKSH_STATS_CMD(Memtune) /* vksh-tune.c */
VKSH_STATS_CMD(Perf)    /* vksh-tune.c */
VKSH_STATS_CMD(Blkiotune)
VKSH_STATS_CMD(Numatune)
VKSH_STATS_CMD(Vcpupin)
VKSH_STATS_CMD(Emulatorpin)
VKSH_STATS_CMD(Iothreadinfo)
VKSH_STATS_CMD(Iothreadpin)
VKSH_STATS_CMD(Iothreadadd)
VKSH_STATS_CMD(Iothreaddel)
VKSH_STATS_CMD(Iothreadset)
VKSH_STATS_CMD(AttachDevice) /* vksh-device.c */
VKSH_STATS_CMD(DetachDevice)
VKSH_STATS_CMD(DetachDeviceAlias)
VKSH_STATS_CMD(AttachDisk)
VKSH_STATS_CMD(DetachDisk)
VKSH_STATS_CMD(Domblklist)
VKSH_STATS_CMD(UpdateDevice) /* vksh-media.c */
VKSH_STATS_CMD(UpdateMemoryDevice)
VKSH_STATS_CMD(ChangeMedia)
VKSH_STATS_CMD(DomifSetlink)
VKSH_STATS_CMD(DomifGetlink)
VKSH_STATS_CMD(Domiftune)    /* vksh-iftune.c */
VKSH_STATS_CMD(Blkdeviotune) /* vksh-iotune.c */
VKSH_STATS_CMD(Blockcommit)  /* vksh-blockjob.c */
VKSH_STATS_CMD(Blockcopy)
VKSH_STATS_CMD(Blockjob)
VKSH_STATS_CMD(Blockpull)
VKSH_STATS_CMD(Edit) /* vksh-edit.c */
VKSH_STATS_CMD(ManagedsaveEdit)
VKSH_STATS_CMD(SaveImageEdit)
VKSH_STATS_CMD(Domiflist) /* vksh-domif.c */
VKSH_STATS_CMD(AttachInterface)
VKSH_STATS_CMD(DetachInterface)
VKSH_STATS_CMD(Vncdisplay)
bool vkshCmdTtyconsole(vkshControl *ctl, const vkshCmd *cmd);
VKSH_STATS_CMD(Domjobabort) /* vksh-jobs.c */
VKSH_STATS_CMD(Domblkthreshold)
VKSH_STATS_CMD(Domblkerror)
VKSH_STATS_CMD(DomdirtyrateCalc)
VKSH_STATS_CMD(QemuMonitorCommand) /* vksh-qemu.c */
VKSH_STATS_CMD(QemuMonitorEvent)
#undef VKSH_STATS_CMD

/* Output.  vkshPrintExtra is silenced by -q; errors go to stderr as "error: ...". */
void vkshPrint(vkshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vkshPrintExtra(vkshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vkshError(vkshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* The library error saved by vksh's error handler: cleared with
 * vkshResetError (also the thread's last error); its code, VIR_ERR_OK if none. */
void vkshResetError(void);
int vkshLastErrorCode(void);
/* Prints the saved library error now (virsh's vshReportError) and clears it. */
void vkshReportLibError(vkshControl *ctl);

/* Options.  vkshOptBool: true when the option was given.
 * vkshOptString: 1 and *value set when given, 0 when absent, -1 (reported as
 * virsh does: "Option argument is empty") when given as "".
 * vkshOptInt: 1/0 like vkshOptString, -1 (reported) when not a number. */
bool vkshOptBool(const vkshCmd *cmd, const char *name);
/* The option's text as given ("" for a flag), or NULL when absent. */
const char *vkshOptRaw(const vkshCmd *cmd, const char *name);
/* A typed parameter's value as text, newly allocated: as virsh's
 * vshGetTypedParamValue (doubles "%f", booleans yes/no) or, @raw, as
 * libvirt's virTypedParameterToString (doubles "%g", booleans 0/1). */
char *vkshTypedParamValue(const virTypedParameter *p, bool raw);
/* libvirt's virScaleInteger units: *@scale for @suffix ("" gives @dflt;
 * b, byte, bytes 1; k m g t p e alone or with "iB" powers of 1024, with
 * "B" powers of 1000). false for any other suffix. */
bool vkshScaleSuffix(const char *suffix, unsigned long long dflt,
                     unsigned long long *scale);
int vkshOptString(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                  const char **value);
int vkshOptInt(vkshControl *ctl, const vkshCmd *cmd, const char *name, int *value);
/* virsh's vshCommandOptScaledInt (vksh-jobs.c): digits and a unit suffix,
 * @scale without one, at most @max; 0 absent, 1 set, -1 reported. */
int vkshOptScaled(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                  unsigned long long scale, unsigned long long max,
                  unsigned long long *value);
/* The same, the scaling error's own line (virsh prints it when the command
 * ends: the library's error) left in *@why for the caller to print. */
int vkshOptScaledWhy(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                     unsigned long long scale, unsigned long long max,
                     unsigned long long *value, char **why);

/* vksh-tune.c: --config/--live/--current into *@flags (virsh's
 * VSH_EXCLUSIVE_OPTIONS_VAR on current); false after the message. */
bool vkshTuneFlags(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags);

/* A per-device typed-parameter get/set (blkdeviotune's disk, domiftune's
 * interface): the public calls, whether the count query names the device
 * (virsh's domiftune does, blkdeviotune passes NULL), and virsh's three
 * messages. */
typedef struct {
    int (*get)(virDomainPtr, const char *, virTypedParameterPtr, int *, unsigned int);
    int (*set)(virDomainPtr, const char *, virTypedParameterPtr, int, unsigned int);
    bool countNamesDevice;
    const char *countError; /* the count query failed */
    const char *getError;   /* the query failed */
    const char *setError;   /* the change failed */
} vkshDeviceTune;

/* vksh-tune.c: the command's last step, as virsh's: no parameter given
 * (*@nparams 0) prints @device's parameters ("%-15s: value" a line, none
 * when the driver has none), else sets the *@nparams of *@params. The
 * caller keeps *@params (filled here for a query) and frees it with
 * virTypedParamsFree(*params, *nparams). false after the message. */
bool vkshDeviceTuneRun(vkshControl *ctl, virDomainPtr dom, const char *device,
                       virTypedParameterPtr *params, int *nparams, unsigned int flags,
                       const vkshDeviceTune *tune);

/* --persistent/--config/--live/--current as virsh's device commands
 * (vksh-device.c): *@flags the VIR_DOMAIN_AFFECT_* bits, *@current true
 * when --current was given; false after reporting a clash. Without
 * @withPersistent the command has no --persistent. */
bool vkshDeviceImpact(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags,
                      bool *current, bool withPersistent);
#define VKSH_IMPACT_OPTS                                              \
    { "persistent", VKSH_OT_BOOL, 0, "make live change persistent" }, \
        { "config", VKSH_OT_BOOL, 0, "affect next boot" },            \
        { "live", VKSH_OT_BOOL, 0, "affect running domain" },         \
    {                                                                 \
        "current", VKSH_OT_BOOL, 0, "affect current domain"           \
    }

/* Reports "Options --a and --b are mutually exclusive" when both are given. */
bool vkshOptExclusive(vkshControl *ctl, const vkshCmd *cmd, const char *a, const char *b);

/* Waiting for events, as virsh's vshEventStart/vshEventWait/vshEventDone:
 * a callback sets @done when the command has what it waits for. */
typedef struct {
    bool done;
    bool timedout;    /* --timeout expired */
    bool interrupted; /* SIGINT (Ctrl-C) ended the wait */
} vkshEventWait;
/* The --timeout option in seconds (0 when absent); -1 reported when it is
 * not a positive number that fits in milliseconds. */
int vkshEventWaitTimeoutOpt(vkshControl *ctl, const vkshCmd *cmd, int *timeout);
/* Runs the default event loop until @wait->done, @timeout seconds (0: none)
 * or SIGINT, then prints virsh's "event loop interrupted" / "event loop
 * timed out" line; the previous SIGINT action is restored. false (reported)
 * when the timer or the signal pipe could not be set up. */
bool vkshEventWaitRun(vkshControl *ctl, vkshEventWait *wait, int timeout);

enum {
    VKSH_BYID = 1 << 0,
    VKSH_BYUUID = 1 << 1,
    VKSH_BYNAME = 1 << 2,
    VKSH_BYALL = VKSH_BYID | VKSH_BYUUID | VKSH_BYNAME,
};

/* Looks up the domain named by option @optname (name, id or UUID as @by
 * allows).  Returns a new reference, or NULL after reporting
 * "failed to get domain 'X'".  *name (optional) is set to the string given. */
virDomainPtr vkshCommandOptDomainBy(vkshControl *ctl, const vkshCmd *cmd,
                                    const char *optname, const char **name,
                                    unsigned int by);
virDomainPtr vkshCommandOptDomain(vkshControl *ctl, const vkshCmd *cmd,
                                  const char **name);

/* Opens ctl->conn on ctl->uri (read-only if ctl->readonly); false after
 * reporting "failed to connect to the hypervisor" and the reason. */
bool vkshConnect(vkshControl *ctl);

/* virsh's editor step (vksh-change.c): @text in a temporary file,
 * $VISUAL / $EDITOR / vi run on it, the result (new string) read back;
 * NULL after reporting. */
char *vkshEditText(vkshControl *ctl, const char *text);

/* virsh's edit loop (vksh-edit.c), shared by the *-edit commands:
 * @getXML returns the object's current XML (new string; NULL leaves the
 * library error to be shown), @define defines the edited document and sets
 * *name (optional, new string) to the defined object's name.  The document
 * goes through vkshEditText once.  Returns -1 after an error (reported or
 * left in the library), 0 when the document came back unchanged (nothing
 * printed), 1 after the definition: when refused, "Failed." was reported
 * and *name stays NULL (virsh then prints its "edited" line all the same,
 * as it does without a terminal to ask "Try again?" on). */
typedef struct {
    char *(*getXML)(void *opaque);
    bool (*define)(void *opaque, const char *xml, char **name);
} vkshEditOps;
int vkshEditRun(vkshControl *ctl, const vkshEditOps *ops, void *opaque, char **name);

/* Reads a whole file for define/create; NULL after reporting the error. */
char *vkshReadFile(vkshControl *ctl, const char *path);

/* virsh's strings for domain states and their reasons (domstate, list). */
const char *vkshDomainStateToString(int state);
const char *vkshDomainStateReasonToString(int state, int reason);

/* virsh's vshTreePrint: the tree under the item @devid of @n items named
 * @names, whose parents are @parents (NULL: a root), with "+- " branches
 * and "|" rails as virsh draws them; @lastdev is the index of the last
 * sibling (the root's own index for a root, as virsh passes it). */
void vkshTreePrint(vkshControl *ctl, const char *const *names, const char *const *parents,
                   int n, int devid, int lastdev, bool root, GString *indent);

/* virsh's vshStringToArray: @str split at ',' with ",," standing for a
 * comma; a new NULL-terminated array. */
char **vkshStringToArray(const char *str);

/* Prints @rows (char ** of @ncols cells each; row 0 is the header) as
 * virsh's tables do; without @header (-q) the header row is skipped. */
void vkshTablePrint(vkshControl *ctl, GPtrArray *rows, size_t ncols, bool header);

/* Looks up a command by name; NULL if unknown. */
const vkshCmdDef *vkshCmdDefLookup(const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomain, virDomainFree)
