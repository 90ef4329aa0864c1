/* vksh-xml.h: the little XML work vksh does itself (dumpxml --xpath, list --title) */
#pragma once

#include "vksh.h"

/* Prints the nodes of @xml selected by @xpath (the whole document when
 * @xpath is NULL), each on its own, or inside one <nodes> element when
 * @wrap.  Returns false after reporting an XPath that selects no node set. */
bool vkshXMLPrintXPath(vkshControl *ctl, const char *xml, const char *xpath, bool wrap);

/* virsh's virshDumpXML: prints @xml, or the nodes the command's --xpath
 * selects (with --wrap, inside one <nodes>). */
bool vkshDumpXML(vkshControl *ctl, const vkshCmd *cmd, const char *xml);

/* Returns the text of /domain/title of @dom's XML, "" when it has none, or
 * NULL when the XML could not be read (the library error is left set). */
char *vkshDomainGetTitle(virDomainPtr dom, bool inactive);

/* Appends @fmt with @value, XML-escaped, in place of its one %s; nothing
 * when @value is NULL (the elements virsh's *-create-as commands write). */
void vkshXMLAppendEscaped(GString *buf, const char *fmt, const char *value);
