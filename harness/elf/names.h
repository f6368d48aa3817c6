/* Names of ELF constants: one table per kind (PT_, DT_, SHT_, SHF_, STT_,
 * ...), as elfutils keeps them. The same table prints a number in a
 * message and decodes what a case writes, so a name the messages use is
 * always one a case may write, and the other way round.
 *
 * Where one value has a name per OS or processor, the table lists the
 * name every machine the harness targets would print first, then the
 * other names, which decode only: PT_GNU_EH_FRAME prints, PT_SUNW_EH_FRAME
 * is read. Where processors disagree on a value the printed name says so
 * ("SHT_ARM_ATTRIBUTES/SHT_RISCV_ATTRIBUTES"): the tables know no machine. */
#ifndef LM_ELF_NAMES_H
#define LM_ELF_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

struct elf_name {
	int64_t v;
	const char *name;      /* "SHF_ALLOC" */
	const char *word;      /* what facts print and a case may also write ("alloc"), or
				* NULL: the name without its prefix ("BIND_NOW") */
};

struct elf_names {
	const char *kind;      /* "segment type", for messages */
	const char *prefix;    /* "PT_" */
	const struct elf_name *v;
	size_t n;
	bool numbers;          /* a number may stand for a value (types, not flags) */
};

extern const struct elf_names elf_pt_names, elf_dt_names, elf_sht_names, elf_shf_names,
	elf_stt_names, elf_stb_names, elf_stv_names, elf_shn_names, elf_df_names, elf_df1_names,
	elf_et_names, elf_em_names, elf_class_names, elf_feature_names;

/* The name of v ("PT_LOAD"), or the prefix and v in hex ("PT_0x70000009")
 * in buf, which must hold 32 bytes. */
const char *elf_name(const struct elf_names *t, int64_t v, char *buf);
/* The word of v ("alloc", "LOAD"): its word, else its name without the
 * prefix; v in hex when it has no name. */
const char *elf_word(const struct elf_names *t, int64_t v, char *buf);
/* What a case writes for a value: its name, its name without the prefix
 * or its word, in any case; a number where the kind takes one. */
bool elf_value(const struct elf_names *t, const char *s, int64_t *v);
/* The name s was probably meant to be, written as s was (with the prefix
 * or without, a word), for "did you mean"; NULL when none is near. */
const char *elf_name_near(const struct elf_names *t, const char *s);
/* The names (words when words) of the bits of v that have one, joined by
 * sep; the bits without a name as one hex number after them. */
void elf_bit_names(const struct elf_names *t, uint64_t v, bool words, const char *sep,
		   struct strbuf *sb);

/* The GNU property (NT_GNU_PROPERTY_TYPE_0) holding a feature of
 * elf_feature_names, and the feature's bit in it. */
static inline uint32_t elf_feature_property(int64_t feature) { return (uint32_t)(feature >> 32); }
static inline uint32_t elf_feature_bit(int64_t feature) { return (uint32_t)feature; }
/* "GNU_PROPERTY_X86_FEATURE_1_AND", or the number in buf (32 bytes). */
const char *elf_property_name(uint32_t type, char *buf);

/* Names for numbers, for messages: "PT_LOAD", "DT_RELR", "SHT_INIT_ARRAY";
 * a hex number for what has no name. buf must hold 32 bytes. */
const char *elf_pt_name(uint32_t type, char *buf);
const char *elf_dt_name(int64_t tag, char *buf);
const char *elf_sht_name(uint32_t type, char *buf);
/* "R_X86_64_64", by the file's machine; "R_N" where it is not known. */
const char *elf_reloc_name(uint16_t machine, uint32_t type, char *buf);
/* The type of relocation name for machine: "R_X86_64_64" or, the
 * machine's prefix left out, "RELATIVE"; any case. */
bool elf_reloc_type(uint16_t machine, const char *name, uint32_t *type);
/* Whether name is a relocation type of some machine the tables know, and
 * the nearest one when it is not (NULL: none near). */
bool elf_reloc_known(const char *name, const char **near);

#endif
