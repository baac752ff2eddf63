/* The ELF loader: libbpf-style eBPF objects (clang -target bpf) into a resolved bpfc_object.
 * A flat list of passes over one context: header, sections, symbols, BTF, maps, code,
 * relocations, programs (linking subprograms), line info, CO-RE. Every offset, size and index
 * read from the file is checked before use; every message names the file, the section and the
 * offset. */
#define _GNU_SOURCE
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/btf.h"
#include "bpfcheck/elf.h"
#include "btf_ext.h"
#include "elf_internal.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define R_BPF_64_64 1
#define R_BPF_64_ABS64 2
#define R_BPF_64_32 10

#define OP_LDDW 0x18
#define OP_CALL 0x85
#define SRC_PSEUDO_MAP_IDX 5
#define SRC_PSEUDO_MAP_IDX_VALUE 6
#define SRC_PSEUDO_BTF_ID 3
#define SRC_PSEUDO_FUNC 4
#define SRC_PSEUDO_CALL 1
#define SRC_PSEUDO_KFUNC_CALL 2

/* Each program carries its own copy of the subprograms it reaches (as libbpf links them), so the
 * loaded size can grow as programs x subprograms; past this many slots in all the object's
 * programs together, loading stops with BPFC_ERR_LIMIT. The kernel's own limit is 1M per program. */
#define MAX_OBJECT_SLOTS (1u << 24)

/* Largest global data section (.data/.rodata/.bss) loaded as a map with its contents. */
#define MAX_DATA_SECTION (64u << 20)

#define MAP_TYPE_ARRAY 2
#define MAP_F_RDONLY_PROG 0x80
#define MAP_F_MMAPABLE 0x400

enum sec_kind { SK_OTHER, SK_CODE, SK_DATA, SK_RODATA, SK_BSS, SK_MAPS, SK_LEGACY_MAPS };

/* Where a call or function-address load in a code section goes (after relocation). */
struct target {
	uint32_t sec; /* 0: none */
	uint32_t insn;
};

struct esec {
	const char *name;
	GElf_Shdr sh;
	const uint8_t *bytes; /* file contents (NULL for NOBITS or empty) */
	enum sec_kind kind;
	int map_idx; /* data sections: index in obj->maps */
	struct isa_slot *insns;
	size_t insn_cnt;
	struct target *targets; /* per insn, for call src=1 and lddw src=4 */
	uint8_t *relocated;     /* per insn: a relocation applied */
};

struct efunc {
	const char *name;
	uint32_t sec;
	uint32_t start, end; /* slot range in the section */
	bool global;
	bool referenced; /* called or address taken by some code */
};

struct msym { /* a map's location in .maps or a legacy maps section */
	uint32_t sec;
	uint64_t off;
	int map;
	uint32_t size;       /* .maps: bytes of the definition */
	uint32_t values_off; /* .maps: byte offset of the 'values' member, UINT32_MAX if none */
};

struct elf_priv {
	struct btf *btf;
	struct bpfc_extern *externs;
	struct bpfc_core_relo *relos;
	struct elf_strpool pool;
};

struct ctx {
	const char *path;
	const struct bpfc_elf_opts *opts;
	struct bpfc_error *err;
	uint8_t *image;
	size_t len;
	Elf *elf;
	enum isa_byte_order bo;
	struct esec *secs;
	size_t sec_cnt;
	size_t text_sec; /* 0: none */
	GElf_Sym *syms;
	const char **sym_names;
	size_t sym_cnt;
	struct efunc *funcs;
	size_t func_cnt;
	struct msym *msyms;
	size_t msym_cnt;
	int *sym_extern; /* per symbol: index in externs, or -1 */
	int kconfig_map;
	struct btf *target_btf;
	struct btf_ext *ext;
	const void *sections_table;
	uint32_t loaded_slots; /* slots in all programs built so far */
	struct bpfc_object *obj;
	struct elf_priv *priv;
};

static int fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct ctx *c, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bpfc_error_set(c->err, BPFC_ERR_INPUT, "%s: %s", c->path, msg);
}

static int nomem(struct ctx *c)
{
	return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "%s: out of memory", c->path);
}

const char *elf_pool_printf(struct elf_strpool *pool, const char *fmt, ...)
{
	if (pool->cnt == pool->cap) {
		size_t cap = pool->cap ? pool->cap * 2 : 16;
		char **n = realloc(pool->strs, cap * sizeof(*n));
		if (!n)
			return NULL;
		pool->strs = n;
		pool->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return NULL;
	pool->strs[pool->cnt++] = s;
	return s;
}

void elf_pool_free(struct elf_strpool *pool)
{
	for (size_t i = 0; i < pool->cnt; i++)
		free(pool->strs[i]);
	free(pool->strs);
}

static void priv_free(void *p)
{
	struct elf_priv *priv = p;
	if (!priv)
		return;
	btf_free(priv->btf);
	free(priv->externs);
	free(priv->relos);
	elf_pool_free(&priv->pool);
	free(priv);
}

int elf_is_elf(const uint8_t *data, size_t len)
{
	return data && len >= 4 && memcmp(data, "\177ELF", 4) == 0;
}

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* ---- header and sections ---- */

static int check_header(struct ctx *c)
{
	const uint8_t *d = c->image;
	if (c->len < EI_NIDENT || !elf_is_elf(d, c->len))
		return fail(c, "not an ELF file (no \\177ELF magic in the first 4 bytes)");
	if (d[EI_CLASS] != ELFCLASS64)
		return fail(c, "ELF class %u is not 64-bit (ELFCLASS64 expected for eBPF objects)",
		            d[EI_CLASS]);
	if (d[EI_DATA] == ELFDATA2LSB)
		c->bo = ISA_LITTLE_ENDIAN;
	else if (d[EI_DATA] == ELFDATA2MSB)
		c->bo = ISA_BIG_ENDIAN;
	else
		return fail(c, "unknown ELF byte order %u (expected 1 little-endian or 2 big-endian)",
		            d[EI_DATA]);
	if (c->len < sizeof(Elf64_Ehdr))
		return fail(c, "file is %zu bytes, shorter than the 64-byte ELF header", c->len);
	c->elf = elf_memory((char *)c->image, c->len);
	if (!c->elf)
		return fail(c, "libelf cannot read the file: %s", elf_errmsg(-1));
	GElf_Ehdr eh;
	if (!gelf_getehdr(c->elf, &eh))
		return fail(c, "cannot read the ELF header: %s", elf_errmsg(-1));
	if (eh.e_type != ET_REL)
		return fail(c, "ELF type %u is not ET_REL (a relocatable object from clang -c is expected)",
		            eh.e_type);
	if (eh.e_machine != EM_BPF && eh.e_machine != EM_NONE)
		return fail(c, "ELF machine %u is not EM_BPF (247)", eh.e_machine);
	if (eh.e_shoff == 0)
		return fail(c, "no section header table (e_shoff is 0)");
	if (eh.e_shentsize != sizeof(Elf64_Shdr))
		return fail(c, "section header entry size %u (expected %zu)", eh.e_shentsize,
		            sizeof(Elf64_Shdr));
	/* e_shnum 0 means the count is in section 0's header: at least that one must fit. */
	size_t raw_shnum = eh.e_shnum ? eh.e_shnum : 1;
	if (eh.e_shoff > c->len || raw_shnum > (c->len - eh.e_shoff) / sizeof(Elf64_Shdr))
		return fail(c,
		            "section header table (offset 0x%llx, %zu entries) is past the end of the file "
		            "(%zu bytes)",
		            (unsigned long long)eh.e_shoff, raw_shnum, c->len);
	size_t shnum, shstrndx;
	if (elf_getshdrnum(c->elf, &shnum) || elf_getshdrstrndx(c->elf, &shstrndx))
		return fail(c, "cannot read the section count or section-name table index: %s",
		            elf_errmsg(-1));
	if (eh.e_shoff > c->len || shnum > (c->len - eh.e_shoff) / sizeof(Elf64_Shdr))
		return fail(c,
		            "section header table (offset 0x%llx, %zu entries) is past the end of the file "
		            "(%zu bytes)",
		            (unsigned long long)eh.e_shoff, shnum, c->len);
	if (shnum == 0)
		return fail(c, "the object has no sections");
	if (shstrndx == 0 || shstrndx >= shnum)
		return fail(c, "section-name table index %zu is not a section (the object has %zu)", shstrndx,
		            shnum);
	Elf_Scn *strscn = elf_getscn(c->elf, shstrndx);
	GElf_Shdr ssh;
	if (!strscn || !gelf_getshdr(strscn, &ssh) || ssh.sh_type != SHT_STRTAB)
		return fail(c, "section-name table (section %zu) is not a string table", shstrndx);
	if (ssh.sh_offset > c->len || ssh.sh_size > c->len - ssh.sh_offset || ssh.sh_size == 0 ||
	    c->image[ssh.sh_offset + ssh.sh_size - 1] != '\0')
		return fail(c,
		            "section-name table (section %zu, offset 0x%llx, %llu bytes) is past the end of "
		            "the file or "
		            "not NUL-terminated",
		            shstrndx, (unsigned long long)ssh.sh_offset, (unsigned long long)ssh.sh_size);
	c->sec_cnt = shnum;
	c->secs = calloc(shnum, sizeof(*c->secs));
	if (!c->secs)
		return nomem(c);
	for (size_t i = 1; i < shnum; i++) {
		struct esec *s = &c->secs[i];
		Elf_Scn *scn = elf_getscn(c->elf, i);
		if (!scn || !gelf_getshdr(scn, &s->sh))
			return fail(c, "cannot read section header %zu: %s", i, elf_errmsg(-1));
		s->name = elf_strptr(c->elf, shstrndx, s->sh.sh_name);
		if (!s->name)
			return fail(c, "section %zu: name offset %u is outside the section-name table", i,
			            s->sh.sh_name);
		s->map_idx = -1;
		if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_size) {
			if (s->sh.sh_offset > c->len || s->sh.sh_size > c->len - s->sh.sh_offset)
				return fail(c,
				            "section '%s' (index %zu): offset 0x%llx + size 0x%llx is past "
				            "the end of the file "
				            "(%zu bytes)",
				            s->name, i, (unsigned long long)s->sh.sh_offset,
				            (unsigned long long)s->sh.sh_size, c->len);
			s->bytes = c->image + s->sh.sh_offset;
		}
		if (s->sh.sh_type == SHT_PROGBITS && (s->sh.sh_flags & SHF_EXECINSTR))
			s->kind = SK_CODE;
		else if (strcmp(s->name, ".maps") == 0)
			s->kind = SK_MAPS;
		else if (strcmp(s->name, "maps") == 0 || has_prefix(s->name, "maps/"))
			s->kind = SK_LEGACY_MAPS;
		else if ((s->sh.sh_flags & SHF_ALLOC) &&
		         (s->sh.sh_type == SHT_PROGBITS || s->sh.sh_type == SHT_NOBITS)) {
			if (strcmp(s->name, ".data") == 0 || has_prefix(s->name, ".data."))
				s->kind = SK_DATA;
			else if (strcmp(s->name, ".rodata") == 0 || has_prefix(s->name, ".rodata."))
				s->kind = SK_RODATA;
			else if (strcmp(s->name, ".bss") == 0 || has_prefix(s->name, ".bss."))
				s->kind = SK_BSS;
		}
		if (s->kind == SK_CODE && strcmp(s->name, ".text") == 0)
			c->text_sec = i;
	}
	return 0;
}

static struct esec *find_sec(struct ctx *c, const char *name)
{
	for (size_t i = 1; i < c->sec_cnt; i++)
		if (strcmp(c->secs[i].name, name) == 0)
			return &c->secs[i];
	return NULL;
}

static uint32_t rd32(const struct ctx *c, const uint8_t *p)
{
	if (c->bo == ISA_BIG_ENDIAN)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* ---- symbols ---- */

static int load_symbols(struct ctx *c)
{
	size_t symtab = 0;
	for (size_t i = 1; i < c->sec_cnt; i++) {
		if (c->secs[i].sh.sh_type != SHT_SYMTAB)
			continue;
		if (symtab)
			return fail(c, "more than one symbol table (sections %zu and %zu)", symtab, i);
		symtab = i;
	}
	if (!symtab)
		return 0; /* hand-written objects: each code section is one program */
	struct esec *s = &c->secs[symtab];
	if (s->sh.sh_entsize != sizeof(Elf64_Sym))
		return fail(c, "symbol table '%s': entry size %llu (expected %zu)", s->name,
		            (unsigned long long)s->sh.sh_entsize, sizeof(Elf64_Sym));
	if (s->sh.sh_link == 0 || s->sh.sh_link >= c->sec_cnt ||
	    c->secs[s->sh.sh_link].sh.sh_type != SHT_STRTAB)
		return fail(c, "symbol table '%s': its string table (section %u) is not a string table",
		            s->name, s->sh.sh_link);
	Elf_Data *data = elf_getdata(elf_getscn(c->elf, symtab), NULL);
	if (!data)
		return fail(c, "cannot read symbol table '%s': %s", s->name, elf_errmsg(-1));
	c->sym_cnt = data->d_size / sizeof(Elf64_Sym);
	c->syms = calloc(c->sym_cnt + 1, sizeof(*c->syms));
	c->sym_names = calloc(c->sym_cnt + 1, sizeof(*c->sym_names));
	c->sym_extern = malloc((c->sym_cnt + 1) * sizeof(int));
	if (!c->syms || !c->sym_names || !c->sym_extern)
		return nomem(c);
	for (size_t i = 0; i < c->sym_cnt; i++) {
		c->sym_extern[i] = -1;
		if (!gelf_getsym(data, (int)i, &c->syms[i]))
			return fail(c, "cannot read symbol %zu: %s", i, elf_errmsg(-1));
		const char *n = elf_strptr(c->elf, s->sh.sh_link, c->syms[i].st_name);
		if (!n)
			return fail(c, "symbol %zu: name offset %u is outside the string table", i,
			            c->syms[i].st_name);
		c->sym_names[i] = n;
		uint16_t shndx = c->syms[i].st_shndx;
		if (shndx != SHN_UNDEF && shndx < SHN_LORESERVE && shndx >= c->sec_cnt)
			return fail(c,
			            "symbol '%s' (%zu): section index %u does not exist (the object has %zu)",
			            n, i, shndx, c->sec_cnt);
		/* Section symbols have no name of their own. */
		if (GELF_ST_TYPE(c->syms[i].st_info) == STT_SECTION && shndx && shndx < c->sec_cnt)
			c->sym_names[i] = c->secs[shndx].name;
	}
	return 0;
}

/* ---- BTF, license, version ---- */

static int load_btf(struct ctx *c)
{
	char origin[512];
	struct esec *s = find_sec(c, ".BTF");
	if (s && s->bytes) {
		snprintf(origin, sizeof(origin), "%s: section '.BTF'", c->path);
		int rc = btf_parse(s->bytes, s->sh.sh_size, origin, &c->priv->btf, c->err);
		if (rc)
			return rc;
		c->obj->btf = c->priv->btf;
		c->obj->has_btf = true;
	}
	s = find_sec(c, ".BTF.ext");
	if (s && s->bytes && c->priv->btf) {
		snprintf(origin, sizeof(origin), "%s: section '.BTF.ext'", c->path);
		int rc = btfext_parse(s->bytes, s->sh.sh_size, c->priv->btf, origin, &c->ext, c->err);
		if (rc)
			return rc;
		c->obj->has_line_info = c->ext->line.sec_cnt > 0;
	}
	if (c->opts && c->opts->btf_path) {
		FILE *f = fopen(c->opts->btf_path, "rb");
		if (!f)
			return bpfc_error_set(c->err, BPFC_ERR_IO, "%s: cannot open target BTF",
			                      c->opts->btf_path);
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0, n;
		do {
			if (len == cap) {
				cap = cap ? cap * 2 : 1 << 20;
				uint8_t *nb = realloc(buf, cap);
				if (!nb) {
					free(buf);
					fclose(f);
					return nomem(c);
				}
				buf = nb;
			}
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		int rc = btf_parse(buf, len, c->opts->btf_path, &c->target_btf, c->err);
		free(buf);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_license_version(struct ctx *c)
{
	struct esec *s = find_sec(c, "license");
	if (s && s->bytes) {
		size_t n = strnlen((const char *)s->bytes, s->sh.sh_size);
		c->obj->license = strndup((const char *)s->bytes, n);
		if (!c->obj->license)
			return nomem(c);
	}
	s = find_sec(c, "version");
	if (s) {
		if (s->sh.sh_size != 4 || !s->bytes)
			return fail(c, "section 'version' is %llu bytes (expected a 4-byte kernel version)",
			            (unsigned long long)s->sh.sh_size);
		c->obj->kern_version = rd32(c, s->bytes);
	}
	return 0;
}

/* Reads a whole file named by an option (at most 16 MiB) into *text (NUL-terminated). */
static int read_path(struct ctx *c, const char *path, const char *what, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return bpfc_error_set(c->err, BPFC_ERR_IO, "%s: cannot open the %s", path, what);
	size_t cap = 1 << 12, n = 0, got;
	char *buf = malloc(cap + 1);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap >= (16u << 20)) {
				free(buf);
				fclose(f);
				return bpfc_error_set(c->err, BPFC_ERR_LIMIT,
				                      "%s: the %s is larger than 16 MiB", path, what);
			}
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf)
		return nomem(c);
	buf[n] = 0;
	*text = buf;
	*len = n;
	return 0;
}

/* ---- maps ---- */

static int add_msym(struct ctx *c, uint32_t sec, uint64_t off, int map)
{
	struct msym *n = realloc(c->msyms, (c->msym_cnt + 1) * sizeof(*n));
	if (!n)
		return nomem(c);
	c->msyms = n;
	c->msyms[c->msym_cnt++] = (struct msym){sec, off, map, 0, UINT32_MAX};
	return 0;
}

/* __uint(name, N) is encoded as int (*name)[N]: N is the array length behind the pointer. */
static bool btf_uint_member(const struct btf *btf, uint32_t type, uint32_t *val)
{
	uint32_t t = btf_skip_mods(btf, type), elem;
	if (btf_kind(btf, t) != BTF_K_PTR)
		return false;
	t = btf_skip_mods(btf, btf_size_or_type(btf, t));
	return btf_array(btf, t, &elem, val);
}

static int parse_btf_map(struct ctx *c, const char *name, uint32_t def_type, struct bpfc_map *m, int depth,
                         int *inner_idx, uint32_t *values_off);

/* Adds a map; a value type in BTF gives its special fields (for a DATASEC, var_off holds the
 * variables' offsets). */
static int add_map_at(struct ctx *c, const struct bpfc_map *m, const uint32_t *var_off, size_t var_cnt)
{
	int idx = bpfc_object_add_map(c->obj, m);
	if (idx < 0)
		return -nomem(c);
	if (c->priv->btf && m->btf_value_type_id &&
	    elf_map_fields(c->priv->btf, m->btf_value_type_id, var_off, var_cnt, &c->obj->maps[idx]))
		return -nomem(c);
	return idx;
}

static int add_map(struct ctx *c, const struct bpfc_map *m)
{
	return add_map_at(c, m, NULL, 0);
}

/* Offsets of the variables of DATASEC ds from the symbols of section sec (objects leave the
 * DATASEC's own offsets 0; libbpf fixes them the same way). malloc'd, NULL when there are none. */
static uint32_t *datasec_offsets(struct ctx *c, uint32_t ds, size_t sec, size_t *cnt)
{
	const struct btf *btf = c->priv->btf;
	*cnt = btf_vlen(btf, ds);
	if (!*cnt)
		return NULL;
	uint32_t *off = calloc(*cnt, sizeof(*off));
	if (!off) {
		*cnt = 0;
		return NULL;
	}
	struct btf_member v;
	for (uint32_t i = 0; i < *cnt && btf_member(btf, ds, i, &v); i++) {
		off[i] = v.bit_offset;
		const char *name = btf_name(btf, v.type);
		for (size_t k = 0; k < c->sym_cnt; k++)
			if (c->syms[k].st_shndx == sec && GELF_ST_TYPE(c->syms[k].st_info) != STT_SECTION &&
			    strcmp(c->sym_names[k], name) == 0 && c->syms[k].st_value <= UINT32_MAX) {
				off[i] = (uint32_t)c->syms[k].st_value;
				break;
			}
	}
	return off;
}

static int parse_btf_map(struct ctx *c, const char *name, uint32_t def_type, struct bpfc_map *m, int depth,
                         int *inner_idx, uint32_t *values_off)
{
	const struct btf *btf = c->priv->btf;
	uint32_t st = btf_skip_mods(btf, def_type);
	if (btf_kind(btf, st) != BTF_K_STRUCT)
		return fail(c, "section '.maps': map '%s' is a %s in BTF, not a struct map definition", name,
		            btf_kind_name(btf_kind(btf, st)));
	memset(m, 0, sizeof(*m));
	m->inner_map = -1;
	*inner_idx = -1;
	*values_off = UINT32_MAX;
	struct btf_member mem;
	for (uint32_t i = 0; btf_member(btf, st, i, &mem); i++) {
		uint32_t v;
		uint64_t size;
		if (strcmp(mem.name, "type") == 0 || strcmp(mem.name, "max_entries") == 0 ||
		    strcmp(mem.name, "map_flags") == 0 || strcmp(mem.name, "pinning") == 0 ||
		    strcmp(mem.name, "key_size") == 0 || strcmp(mem.name, "value_size") == 0) {
			if (!btf_uint_member(btf, mem.type, &v))
				return fail(c,
				            "section '.maps': map '%s' field '%s' is not __uint(%s, N) (a "
				            "pointer to an array)",
				            name, mem.name, mem.name);
			if (strcmp(mem.name, "type") == 0)
				m->type = v;
			else if (strcmp(mem.name, "max_entries") == 0)
				m->max_entries = v;
			else if (strcmp(mem.name, "map_flags") == 0)
				m->flags = v;
			else if (strcmp(mem.name, "pinning") == 0)
				m->pinning = v;
			else if (strcmp(mem.name, "key_size") == 0)
				m->key_size = v;
			else
				m->value_size = v;
		} else if (strcmp(mem.name, "key") == 0 || strcmp(mem.name, "value") == 0) {
			uint32_t t = btf_skip_mods(btf, mem.type);
			if (btf_kind(btf, t) != BTF_K_PTR)
				return fail(
				    c,
				    "section '.maps': map '%s' field '%s' is not __type(%s, T) (a pointer)",
				    name, mem.name, mem.name);
			uint32_t target = btf_size_or_type(btf, t);
			if (btf_resolve_size(btf, target, &size, c->err))
				return fail(c, "section '.maps': map '%s' %s type: %s", name, mem.name,
				            c->err->msg);
			if (size > UINT32_MAX)
				return fail(c, "section '.maps': map '%s' %s is %llu bytes, too large", name,
				            mem.name, (unsigned long long)size);
			if (mem.name[0] == 'k') {
				m->key_size = (uint32_t)size;
				m->btf_key_type_id = target;
			} else {
				m->value_size = (uint32_t)size;
				m->btf_value_type_id = target;
			}
		} else if (strcmp(mem.name, "values") == 0) {
			uint32_t arr = btf_skip_mods(btf, mem.type), elem, n;
			if (!btf_array(btf, arr, &elem, &n))
				return fail(
				    c, "section '.maps': map '%s' field 'values' is not __array(values, ...)",
				    name);
			uint32_t p = btf_skip_mods(btf, elem);
			if (btf_kind(btf, p) != BTF_K_PTR)
				return fail(
				    c, "section '.maps': map '%s' field 'values' is not an array of pointers",
				    name);
			uint32_t inner = btf_skip_mods(btf, btf_size_or_type(btf, p));
			if (btf_kind(btf, inner) == BTF_K_STRUCT) {
				if (depth > 0)
					return fail(c,
					            "section '.maps': map '%s': map-in-map nested more than "
					            "one level",
					            name);
				char iname[256];
				snprintf(iname, sizeof(iname), "%s.inner", name);
				struct bpfc_map im;
				int dummy;
				uint32_t dummy_off;
				int rc = parse_btf_map(c, iname, inner, &im, depth + 1, &dummy, &dummy_off);
				if (rc)
					return rc;
				im.name = iname;
				int idx = add_map(c, &im);
				if (idx < 0)
					return -idx;
				*inner_idx = idx;
			}
			/* prog arrays list functions: nothing to load, the value is a 4-byte id. */
			m->value_size = 4;
			*values_off = mem.bit_offset / 8;
		}
		/* numa_node, map_extra: ignored (do not change what the verifier sees). */
	}
	return 0;
}

static int load_btf_maps(struct ctx *c, uint32_t sec_idx)
{
	const struct btf *btf = c->priv->btf;
	struct esec *s = &c->secs[sec_idx];
	if (!btf)
		return fail(
		    c,
		    "section '.maps' needs BTF to describe its maps, but the object has no '.BTF' section");
	uint32_t ds = btf_find(btf, ".maps", BTF_K_DATASEC);
	if (!ds)
		return fail(c, "section '.maps': no DATASEC '.maps' in BTF");
	struct btf_member v;
	for (uint32_t i = 0; btf_member(btf, ds, i, &v); i++) {
		if (btf_kind(btf, v.type) != BTF_K_VAR)
			return fail(c, "section '.maps': BTF DATASEC entry %u is a %s, not a variable", i,
			            btf_kind_name(btf_kind(btf, v.type)));
		const char *name = btf_name(btf, v.type);
		/* clang leaves DATASEC offsets 0 in objects; the symbol says where the map is. */
		for (size_t k = 0; k < c->sym_cnt; k++)
			if (c->syms[k].st_shndx == sec_idx && strcmp(c->sym_names[k], name) == 0 &&
			    GELF_ST_TYPE(c->syms[k].st_info) != STT_SECTION) {
				if (c->syms[k].st_value > UINT32_MAX)
					return fail(c,
					            "section '.maps': map symbol '%s' at offset %llu is "
					            "outside the section",
					            name, (unsigned long long)c->syms[k].st_value);
				v.bit_offset = (uint32_t)c->syms[k].st_value;
				/* .values = {...} extends the flexible 'values' array past the BTF size. */
				if (c->syms[k].st_size > v.bitfield_size && c->syms[k].st_size <= UINT32_MAX)
					v.bitfield_size = (uint32_t)c->syms[k].st_size;
				break;
			}
		if (v.bit_offset > s->sh.sh_size || v.bitfield_size > s->sh.sh_size - v.bit_offset)
			return fail(c,
			            "section '.maps': map '%s' at offset %u (size %u) is outside the section "
			            "(%llu bytes)",
			            name, v.bit_offset, v.bitfield_size, (unsigned long long)s->sh.sh_size);
		struct bpfc_map m;
		int inner;
		uint32_t values_off;
		int rc = parse_btf_map(c, name, btf_size_or_type(btf, v.type), &m, 0, &inner, &values_off);
		if (rc)
			return rc;
		m.name = (char *)name;
		m.inner_map = inner;
		m.kind = BPFC_MAP_USER;
		int idx = add_map(c, &m);
		if (idx < 0)
			return -idx;
		if ((rc = add_msym(c, sec_idx, v.bit_offset, idx)))
			return rc;
		c->msyms[c->msym_cnt - 1].size = v.bitfield_size;
		c->msyms[c->msym_cnt - 1].values_off = values_off;
	}
	return 0;
}

static int load_legacy_maps(struct ctx *c, uint32_t sec_idx)
{
	struct esec *s = &c->secs[sec_idx];
	size_t nsyms = 0;
	for (size_t i = 0; i < c->sym_cnt; i++)
		if (c->syms[i].st_shndx == sec_idx && GELF_ST_TYPE(c->syms[i].st_info) != STT_SECTION &&
		    c->sym_names[i][0])
			nsyms++;
	if (!nsyms || !s->bytes)
		return 0;
	/* Records are all the same size: libbpf divides the section by the number of map symbols. */
	uint64_t rec = s->sh.sh_size / nsyms;
	if (rec < 16 || rec % 4)
		return fail(c,
		            "section '%s': %llu bytes for %zu maps gives %llu-byte definitions (expected at "
		            "least 16, "
		            "a multiple of 4: struct bpf_map_def)",
		            s->name, (unsigned long long)s->sh.sh_size, nsyms, (unsigned long long)rec);
	for (size_t i = 0; i < c->sym_cnt; i++) {
		const GElf_Sym *sym = &c->syms[i];
		if (sym->st_shndx != sec_idx || GELF_ST_TYPE(sym->st_info) == STT_SECTION ||
		    !c->sym_names[i][0])
			continue;
		if (sym->st_value > s->sh.sh_size || rec > s->sh.sh_size - sym->st_value)
			return fail(
			    c, "section '%s': map '%s' at offset %llu runs past the section (%llu bytes)",
			    s->name, c->sym_names[i], (unsigned long long)sym->st_value,
			    (unsigned long long)s->sh.sh_size);
		const uint8_t *p = s->bytes + sym->st_value;
		struct bpfc_map m = {.name = (char *)c->sym_names[i], .inner_map = -1};
		m.type = rd32(c, p);
		m.key_size = rd32(c, p + 4);
		m.value_size = rd32(c, p + 8);
		m.max_entries = rd32(c, p + 12);
		if (rec >= 20)
			m.flags = rd32(c, p + 16);
		if (rec >= 28)
			m.pinning =
			    rd32(c, p + 24); /* iproute2 struct bpf_elf_map: id at 20, pinning at 24 */
		int idx = add_map(c, &m);
		if (idx < 0)
			return -idx;
		int rc = add_msym(c, sec_idx, sym->st_value, idx);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_data_maps(struct ctx *c)
{
	for (size_t i = 1; i < c->sec_cnt; i++) {
		struct esec *s = &c->secs[i];
		if (s->kind != SK_DATA && s->kind != SK_RODATA && s->kind != SK_BSS)
			continue;
		/* .bss takes no room in the file, so its size is not bounded by it: cap what we allocate. */
		if (s->sh.sh_size > MAX_DATA_SECTION)
			return bpfc_error_set(
			    c->err, BPFC_ERR_LIMIT,
			    "%s: section '%s' is %llu bytes; global data sections over %u bytes are not "
			    "loaded",
			    c->path, s->name, (unsigned long long)s->sh.sh_size, MAX_DATA_SECTION);
		struct bpfc_map m = {.name = (char *)s->name,
		                     .type = MAP_TYPE_ARRAY,
		                     .key_size = 4,
		                     .value_size = (uint32_t)s->sh.sh_size,
		                     .max_entries = 1,
		                     .inner_map = -1,
		                     .flags = MAP_F_MMAPABLE};
		m.kind = s->kind == SK_DATA     ? BPFC_MAP_DATA
		         : s->kind == SK_RODATA ? BPFC_MAP_RODATA
		                                : BPFC_MAP_BSS;
		if (s->kind == SK_RODATA)
			m.flags |= MAP_F_RDONLY_PROG;
		uint8_t *zero = NULL;
		if (s->bytes && s->sh.sh_type != SHT_NOBITS) {
			m.data = (uint8_t *)s->bytes;
		} else {
			zero = calloc(1, m.value_size ? m.value_size : 1);
			if (!zero)
				return nomem(c);
			m.data = zero;
		}
		uint32_t *var_off = NULL;
		size_t var_cnt = 0;
		if (c->priv->btf) {
			m.btf_value_type_id = btf_find(c->priv->btf, s->name, BTF_K_DATASEC);
			if (m.btf_value_type_id)
				var_off = datasec_offsets(c, m.btf_value_type_id, i, &var_cnt);
		}
		int idx = add_map_at(c, &m, var_off, var_cnt);
		free(var_off);
		free(zero);
		if (idx < 0)
			return -idx;
		s->map_idx = idx;
	}
	return 0;
}

/* Externs: undefined symbols, placed by BTF in DATASEC .kconfig or .ksyms (libbpf's __kconfig,
 * __ksym). Kconfig values live in one KCONFIG map. */
static int load_externs(struct ctx *c)
{
	const struct btf *btf = c->priv->btf;
	uint32_t kconfig_ds = btf ? btf_find(btf, ".kconfig", BTF_K_DATASEC) : 0;
	uint32_t ksyms_ds = btf ? btf_find(btf, ".ksyms", BTF_K_DATASEC) : 0;
	size_t n = 0;
	for (size_t i = 1; i < c->sym_cnt; i++)
		if (c->syms[i].st_shndx == SHN_UNDEF && c->sym_names[i][0] &&
		    GELF_ST_TYPE(c->syms[i].st_info) != STT_SECTION &&
		    GELF_ST_TYPE(c->syms[i].st_info) != STT_FILE)
			n++;
	if (!n)
		return 0;
	c->priv->externs = calloc(n, sizeof(*c->priv->externs));
	if (!c->priv->externs)
		return nomem(c);
	uint32_t kconfig_size = 0;
	for (size_t i = 1; i < c->sym_cnt; i++) {
		const GElf_Sym *sym = &c->syms[i];
		if (sym->st_shndx != SHN_UNDEF || !c->sym_names[i][0] ||
		    GELF_ST_TYPE(sym->st_info) == STT_SECTION || GELF_ST_TYPE(sym->st_info) == STT_FILE)
			continue;
		struct bpfc_extern *e = &c->priv->externs[c->obj->extern_cnt];
		e->name = elf_pool_printf(&c->priv->pool, "%s", c->sym_names[i]);
		if (!e->name)
			return nomem(c);
		e->weak = GELF_ST_BIND(sym->st_info) == STB_WEAK;
		e->is_func = GELF_ST_TYPE(sym->st_info) == STT_FUNC;
		struct btf_member v;
		bool found = false;
		for (uint32_t k = 0; kconfig_ds && btf_member(btf, kconfig_ds, k, &v); k++)
			if (strcmp(btf_name(btf, v.type), e->name) == 0) {
				uint64_t size = 0;
				if (btf_resolve_size(btf, v.type, &size, c->err) || size > 64)
					return fail(c, "extern '%s' in .kconfig: type has no usable size",
					            e->name);
				e->kind = BPFC_EXTERN_KCONFIG;
				e->btf_type_id = v.type;
				e->size = (uint32_t)size;
				e->offset = kconfig_size;
				kconfig_size += (e->size + 7) & ~7u;
				found = true;
				break;
			}
		for (uint32_t k = 0; !found && ksyms_ds && btf_member(btf, ksyms_ds, k, &v); k++)
			if (strcmp(btf_name(btf, v.type), e->name) == 0) {
				e->kind = BPFC_EXTERN_KSYM;
				e->btf_type_id = v.type;
				e->is_func = btf_kind(btf, v.type) == BTF_K_FUNC;
				found = true;
			}
		if (!found) {
			uint32_t f = btf ? btf_find(btf, e->name, BTF_K_FUNC) : 0;
			if (!e->is_func && !f)
				return fail(c,
				            "symbol '%s' is undefined and is neither a .kconfig nor a .ksyms "
				            "extern in BTF",
				            e->name);
			e->kind = BPFC_EXTERN_KSYM;
			e->is_func = true;
			e->btf_type_id = f;
		}
		c->sym_extern[i] = (int)c->obj->extern_cnt++;
	}
	c->obj->externs = c->priv->externs;
	c->kconfig_map = -1;
	if (kconfig_size) {
		uint8_t *zero = calloc(1, kconfig_size), *known = NULL;
		if (!zero)
			return nomem(c);
		if (c->opts && c->opts->kconfig_path) {
			char *text = NULL;
			size_t tlen = 0;
			int rc = read_path(c, c->opts->kconfig_path, "kernel configuration (--kconfig)",
			                   &text, &tlen);
			if (!rc)
				rc = elf_kconfig_fill(c->opts->kconfig_path, text, tlen, btf,
				                      c->bo == ISA_BIG_ENDIAN, c->priv->externs,
				                      c->obj->extern_cnt, zero, c->err);
			free(text);
			if (rc) {
				free(zero);
				return rc;
			}
			known = calloc(1, kconfig_size);
			if (!known) {
				free(zero);
				return nomem(c);
			}
			for (size_t i = 0; i < c->obj->extern_cnt; i++) {
				const struct bpfc_extern *e = &c->priv->externs[i];
				if (e->kind == BPFC_EXTERN_KCONFIG && e->known)
					memset(known + e->offset, 1, e->size);
			}
		}
		struct bpfc_map m = {.name = ".kconfig",
		                     .type = MAP_TYPE_ARRAY,
		                     .key_size = 4,
		                     .value_size = kconfig_size,
		                     .max_entries = 1,
		                     .inner_map = -1,
		                     .flags = MAP_F_MMAPABLE | MAP_F_RDONLY_PROG,
		                     .kind = BPFC_MAP_KCONFIG,
		                     .data = zero,
		                     .data_known = known,
		                     .btf_value_type_id = kconfig_ds};
		c->kconfig_map = add_map(c, &m);
		free(zero);
		free(known);
		if (c->kconfig_map < 0)
			return nomem(c);
	}
	return 0;
}

static int load_maps(struct ctx *c)
{
	int rc;
	for (size_t i = 1; i < c->sec_cnt; i++) {
		if (c->secs[i].kind == SK_MAPS && (rc = load_btf_maps(c, (uint32_t)i)))
			return rc;
		if (c->secs[i].kind == SK_LEGACY_MAPS && (rc = load_legacy_maps(c, (uint32_t)i)))
			return rc;
	}
	if ((rc = load_data_maps(c)))
		return rc;
	return load_externs(c);
}

/* ---- code and functions ---- */

static int cmp_func(const void *a, const void *b)
{
	const struct efunc *x = a, *y = b;
	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int load_code(struct ctx *c)
{
	for (size_t i = 1; i < c->sec_cnt; i++) {
		struct esec *s = &c->secs[i];
		if (s->kind != SK_CODE || !s->sh.sh_size)
			continue;
		if (s->sh.sh_size % 8)
			return fail(c,
			            "section '%s': %llu bytes is not a whole number of 8-byte instructions",
			            s->name, (unsigned long long)s->sh.sh_size);
		if (isa_decode(s->bytes, s->sh.sh_size, c->bo, &s->insns, &s->insn_cnt, c->err))
			return fail(c, "section '%s': %s", s->name, c->err->msg);
		s->targets = calloc(s->insn_cnt, sizeof(*s->targets));
		s->relocated = calloc(s->insn_cnt, 1);
		if (!s->targets || !s->relocated)
			return nomem(c);
	}
	size_t n = 0;
	for (size_t i = 0; i < c->sym_cnt; i++)
		if (GELF_ST_TYPE(c->syms[i].st_info) == STT_FUNC && c->syms[i].st_shndx &&
		    c->syms[i].st_shndx < c->sec_cnt)
			n++;
	c->funcs = calloc(n + c->sec_cnt, sizeof(*c->funcs));
	if (!c->funcs)
		return nomem(c);
	for (size_t i = 0; i < c->sym_cnt; i++) {
		const GElf_Sym *sym = &c->syms[i];
		if (GELF_ST_TYPE(sym->st_info) != STT_FUNC || !sym->st_shndx || sym->st_shndx >= c->sec_cnt)
			continue;
		struct esec *s = &c->secs[sym->st_shndx];
		if (s->kind != SK_CODE)
			return fail(c, "function '%s' is in section '%s', which is not executable",
			            c->sym_names[i], s->name);
		if (sym->st_value % 8 || sym->st_value / 8 >= s->insn_cnt)
			return fail(c,
			            "section '%s': function '%s' starts at byte %llu, not an instruction "
			            "inside the section "
			            "(%llu bytes)",
			            s->name, c->sym_names[i], (unsigned long long)sym->st_value,
			            (unsigned long long)s->sh.sh_size);
		if (sym->st_size % 8 || sym->st_size > s->sh.sh_size - sym->st_value)
			return fail(c,
			            "section '%s': function '%s' (byte %llu, %llu bytes) runs past the "
			            "section (%llu bytes)",
			            s->name, c->sym_names[i], (unsigned long long)sym->st_value,
			            (unsigned long long)sym->st_size, (unsigned long long)s->sh.sh_size);
		struct efunc *f = &c->funcs[c->func_cnt++];
		f->name = c->sym_names[i];
		f->sec = sym->st_shndx;
		f->start = (uint32_t)(sym->st_value / 8);
		f->end = sym->st_size ? (uint32_t)((sym->st_value + sym->st_size) / 8) : 0;
		f->global = GELF_ST_BIND(sym->st_info) != STB_LOCAL;
	}
	/* A code section without function symbols (hand-written) is one function named after it. */
	for (size_t i = 1; i < c->sec_cnt; i++) {
		if (c->secs[i].kind != SK_CODE || !c->secs[i].insn_cnt)
			continue;
		bool any = false;
		for (size_t k = 0; k < c->func_cnt && !any; k++)
			any = c->funcs[k].sec == i;
		if (!any)
			c->funcs[c->func_cnt++] = (struct efunc){.name = c->secs[i].name,
			                                         .sec = (uint32_t)i,
			                                         .start = 0,
			                                         .end = (uint32_t)c->secs[i].insn_cnt,
			                                         .global = true};
	}
	qsort(c->funcs, c->func_cnt, sizeof(*c->funcs), cmp_func);
	for (size_t k = 0; k < c->func_cnt; k++) {
		struct efunc *f = &c->funcs[k];
		bool next_same = k + 1 < c->func_cnt && c->funcs[k + 1].sec == f->sec;
		if (next_same && c->funcs[k + 1].start == f->start)
			return fail(c, "section '%s': functions '%s' and '%s' both start at instruction %u",
			            c->secs[f->sec].name, f->name, c->funcs[k + 1].name, f->start);
		uint32_t limit = next_same ? c->funcs[k + 1].start : (uint32_t)c->secs[f->sec].insn_cnt;
		if (!f->end)
			f->end = limit; /* size 0 (assembly): up to the next function */
		if (f->end > limit)
			return fail(
			    c, "section '%s': function '%s' (instructions %u..%u) overlaps the next function",
			    c->secs[f->sec].name, f->name, f->start, f->end);
	}
	return 0;
}

/* The function holding instruction insn of section sec; funcs are sorted by (section, start) and
 * do not overlap, so a binary search finds the last one starting at or before it. */
static struct efunc *func_at(struct ctx *c, uint32_t sec, uint32_t insn)
{
	size_t lo = 0, hi = c->func_cnt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct efunc *f = &c->funcs[mid];
		if (f->sec < sec || (f->sec == sec && f->start <= insn))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	struct efunc *f = &c->funcs[lo - 1];
	return f->sec == sec && insn < f->end ? f : NULL;
}

/* ---- relocations ---- */

static int msym_map(struct ctx *c, uint32_t sec, uint64_t off)
{
	for (size_t i = 0; i < c->msym_cnt; i++)
		if (c->msyms[i].sec == sec && c->msyms[i].off == off)
			return c->msyms[i].map;
	return -1;
}

static int apply_reloc(struct ctx *c, struct esec *s, const char *rel_name, size_t ri, const GElf_Rel *r)
{
	uint32_t type = (uint32_t)GELF_R_TYPE(r->r_info);
	size_t symi = GELF_R_SYM(r->r_info);
	if (r->r_offset % 8 || r->r_offset / 8 >= s->insn_cnt)
		return fail(
		    c,
		    "section '%s': relocation %zu points at byte 0x%llx, not an instruction inside '%s' (%zu "
		    "instructions)",
		    rel_name, ri, (unsigned long long)r->r_offset, s->name, s->insn_cnt);
	size_t idx = r->r_offset / 8;
	if (symi == 0 || symi >= c->sym_cnt)
		return fail(
		    c,
		    "section '%s': relocation %zu (offset 0x%llx) refers to symbol %zu, which does not exist",
		    rel_name, ri, (unsigned long long)r->r_offset, symi);
	if (type != R_BPF_64_64 && type != R_BPF_64_32)
		return fail(
		    c,
		    "section '%s': relocation %zu (offset 0x%llx) has type %u; code relocations must be "
		    "R_BPF_64_64 (1) or R_BPF_64_32 (10)",
		    rel_name, ri, (unsigned long long)r->r_offset, type);
	if (s->relocated[idx])
		return fail(c, "section '%s': two relocations on instruction %zu of '%s'", rel_name, idx,
		            s->name);
	s->relocated[idx] = 1;
	const GElf_Sym *sym = &c->syms[symi];
	const char *sname = c->sym_names[symi];
	struct isa_slot *insn = &s->insns[idx];
	uint16_t shndx = sym->st_shndx;
	struct esec *ts = shndx && shndx < c->sec_cnt ? &c->secs[shndx] : NULL;

	if (insn->opcode == OP_CALL) {
		if (shndx == SHN_UNDEF) {
			int e = c->sym_extern[symi];
			if (e < 0 || !c->priv->externs[e].is_func)
				return fail(c,
				            "section '%s': call at instruction %zu refers to undefined "
				            "symbol '%s', which is "
				            "not a kfunc",
				            s->name, idx, sname);
			/* the object's BTF id of the extern's FUNC (0: none): the verifier finds the
			 * kfunc's name and prototype by it (specs/elf.md) */
			insn->src = SRC_PSEUDO_KFUNC_CALL;
			uint32_t fid = c->priv->externs[e].btf_type_id;
			insn->imm = fid <= INT32_MAX ? (int32_t)fid : 0;
			return 0;
		}
		if (!ts || ts->kind != SK_CODE)
			return fail(c,
			            "section '%s': call at instruction %zu refers to '%s', which is not in a "
			            "code section",
			            s->name, idx, sname);
		int64_t target = (int64_t)(sym->st_value / 8) + insn->imm + 1;
		if (sym->st_value % 8 || target < 0 || (uint64_t)target >= ts->insn_cnt)
			return fail(c,
			            "section '%s': call at instruction %zu goes to instruction %lld of '%s', "
			            "outside it "
			            "(%zu instructions)",
			            s->name, idx, (long long)target, ts->name, ts->insn_cnt);
		insn->src = SRC_PSEUDO_CALL;
		s->targets[idx] = (struct target){shndx, (uint32_t)target};
		return 0;
	}
	if (insn->opcode != OP_LDDW)
		return fail(c,
		            "section '%s': relocation %zu against '%s' applies to instruction %zu of '%s' "
		            "(opcode 0x%02x), "
		            "which is neither lddw nor call",
		            rel_name, ri, sname, idx, s->name, insn->opcode);
	if (idx + 1 >= s->insn_cnt)
		return fail(c, "section '%s': lddw at instruction %zu has no second slot", s->name, idx);
	struct isa_slot *next = &s->insns[idx + 1];
	if (shndx == SHN_UNDEF) {
		int e = c->sym_extern[symi];
		if (e < 0)
			return fail(c,
			            "section '%s': lddw at instruction %zu refers to undefined symbol '%s'",
			            s->name, idx, sname);
		const struct bpfc_extern *x = &c->priv->externs[e];
		if (x->kind == BPFC_EXTERN_KCONFIG) {
			insn->src = SRC_PSEUDO_MAP_IDX_VALUE;
			insn->imm = c->kconfig_map;
			next->imm = (int32_t)x->offset;
		} else {
			insn->src = SRC_PSEUDO_BTF_ID;
			insn->imm = 0;
			next->imm = 0;
		}
		return 0;
	}
	if (!ts)
		return fail(c, "section '%s': lddw at instruction %zu refers to '%s' in special section %u",
		            s->name, idx, sname, shndx);
	int64_t off = (int64_t)sym->st_value + insn->imm;
	switch (ts->kind) {
	case SK_MAPS:
	case SK_LEGACY_MAPS: {
		int m = off >= 0 ? msym_map(c, shndx, (uint64_t)off) : -1;
		if (m < 0)
			return fail(c,
			            "section '%s': lddw at instruction %zu refers to '%s' at offset %lld of "
			            "'%s', where no "
			            "map is defined",
			            s->name, idx, sname, (long long)off, ts->name);
		insn->src = SRC_PSEUDO_MAP_IDX;
		insn->imm = m;
		next->imm = 0;
		return 0;
	}
	case SK_DATA:
	case SK_RODATA:
	case SK_BSS:
		if (off < 0 || (uint64_t)off > ts->sh.sh_size)
			return fail(c,
			            "section '%s': lddw at instruction %zu refers to offset %lld of '%s' "
			            "(%llu bytes)",
			            s->name, idx, (long long)off, ts->name,
			            (unsigned long long)ts->sh.sh_size);
		insn->src = SRC_PSEUDO_MAP_IDX_VALUE;
		insn->imm = ts->map_idx;
		next->imm = (int32_t)off;
		return 0;
	case SK_CODE:
		if (off < 0 || off % 8 || (uint64_t)off / 8 >= ts->insn_cnt)
			return fail(c,
			            "section '%s': lddw at instruction %zu takes the address of byte %lld of "
			            "'%s', not an "
			            "instruction in it",
			            s->name, idx, (long long)off, ts->name);
		insn->src = SRC_PSEUDO_FUNC;
		s->targets[idx] = (struct target){shndx, (uint32_t)(off / 8)};
		return 0;
	default:
		return fail(c,
		            "section '%s': lddw at instruction %zu refers to '%s' in section '%s', which is "
		            "not a map, "
		            "global data or code section",
		            s->name, idx, sname, ts->name);
	}
}

/* Relocation handler: relocation ri of section rel_name, which relocates section target. */
typedef int (*reloc_fn)(struct ctx *c, const char *rel_name, uint32_t target, size_t ri, const GElf_Rel *r);

/* Checks the REL section i (symbol table present, entry size) and hands each relocation to fn. */
static int walk_rels(struct ctx *c, size_t i, reloc_fn fn)
{
	struct esec *rs = &c->secs[i];
	if (!c->syms)
		return fail(c, "section '%s': relocations without a symbol table", rs->name);
	if (rs->sh.sh_entsize != sizeof(Elf64_Rel))
		return fail(c, "section '%s': entry size %llu (expected %zu)", rs->name,
		            (unsigned long long)rs->sh.sh_entsize, sizeof(Elf64_Rel));
	Elf_Data *data = elf_getdata(elf_getscn(c->elf, i), NULL);
	if (!data)
		return fail(c, "cannot read relocation section '%s': %s", rs->name, elf_errmsg(-1));
	size_t n = data->d_size / sizeof(Elf64_Rel);
	for (size_t k = 0; k < n; k++) {
		GElf_Rel r;
		if (!gelf_getrel(data, (int)k, &r))
			return fail(c, "section '%s': cannot read relocation %zu: %s", rs->name, k,
			            elf_errmsg(-1));
		int rc = fn(c, rs->name, rs->sh.sh_info, k, &r);
		if (rc)
			return rc;
	}
	return 0;
}

static int code_reloc(struct ctx *c, const char *rel_name, uint32_t target, size_t ri, const GElf_Rel *r)
{
	return apply_reloc(c, &c->secs[target], rel_name, ri, r);
}

static int load_relocs(struct ctx *c)
{
	for (size_t i = 1; i < c->sec_cnt; i++) {
		struct esec *rs = &c->secs[i];
		if (rs->sh.sh_type == SHT_RELA)
			if (rs->sh.sh_info < c->sec_cnt && c->secs[rs->sh.sh_info].kind == SK_CODE)
				return fail(c,
				            "section '%s': RELA relocations are not used by BPF objects "
				            "(expected REL)",
				            rs->name);
		if (rs->sh.sh_type != SHT_REL)
			continue;
		if (rs->sh.sh_info == 0 || rs->sh.sh_info >= c->sec_cnt)
			return fail(c, "section '%s': relocates section %u, which does not exist", rs->name,
			            rs->sh.sh_info);
		struct esec *s = &c->secs[rs->sh.sh_info];
		if (s->kind != SK_CODE)
			continue; /* .rel.BTF, .rel.debug_*; .rel.maps: load_map_inits */
		int rc = walk_rels(c, i, code_reloc);
		if (rc)
			return rc;
	}
	/* Calls and function addresses that no relocation touched are pc-relative in their section. */
	for (size_t i = 1; i < c->sec_cnt; i++) {
		struct esec *s = &c->secs[i];
		for (size_t k = 0; k < s->insn_cnt; k++) {
			struct isa_slot *in = &s->insns[k];
			bool call = in->opcode == OP_CALL && in->src == SRC_PSEUDO_CALL;
			bool faddr = in->opcode == OP_LDDW && in->src == SRC_PSEUDO_FUNC;
			if (s->relocated[k] || !(call || faddr))
				continue;
			int64_t t = (int64_t)k + in->imm + 1;
			if (t < 0 || (uint64_t)t >= s->insn_cnt)
				return fail(c,
				            "section '%s': %s at instruction %zu goes to instruction %lld, "
				            "outside the section "
				            "(%zu instructions)",
				            s->name, call ? "call" : "lddw (function address)", k,
				            (long long)t, s->insn_cnt);
			s->targets[k] = (struct target){(uint32_t)i, (uint32_t)t};
		}
	}
	return 0;
}

/* ---- initial values of map-in-map and prog-array maps (.rel.maps) ---- */

#define MAP_TYPE_PROG_ARRAY 3
#define MAP_TYPE_ARRAY_OF_MAPS 12
#define MAP_TYPE_HASH_OF_MAPS 13

static int cmp_init(const void *a, const void *b)
{
	const struct bpfc_map_init *x = a, *y = b;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static int prog_index(struct ctx *c, const char *name, const char *section)
{
	for (size_t i = 0; i < c->obj->prog_cnt; i++)
		if (strcmp(c->obj->progs[i].name, name) == 0 && c->obj->progs[i].section &&
		    strcmp(c->obj->progs[i].section, section) == 0)
			return (int)i;
	return -1;
}

/* One relocation in .rel.maps: 8-byte slot `slot` of the outer map's 'values' array points at
 * a map (map-in-map) or a function (prog array). libbpf: bpf_object__collect_map_relos. */
static int map_init_reloc(struct ctx *c, const char *rel_name, uint32_t sec_idx, size_t ri, const GElf_Rel *r)
{
	unsigned long long off = (unsigned long long)r->r_offset;
	uint32_t type = (uint32_t)GELF_R_TYPE(r->r_info);
	size_t symi = GELF_R_SYM(r->r_info);
	if (type != R_BPF_64_64 && type != R_BPF_64_ABS64)
		return fail(c,
		            "section '%s': relocation %zu (offset 0x%llx) has type %u; map initial values "
		            "must be R_BPF_64_ABS64 (2) or R_BPF_64_64 (1)",
		            rel_name, ri, off, type);
	const struct msym *outer = NULL;
	for (size_t i = 0; i < c->msym_cnt; i++) {
		const struct msym *ms = &c->msyms[i];
		if (ms->sec == sec_idx && r->r_offset >= ms->off && ms->size >= 8 &&
		    r->r_offset - ms->off <= ms->size - 8) /* the whole 8-byte pointer inside */
			outer = ms;
	}
	if (!outer)
		return fail(c,
		            "section '%s': relocation %zu (offset 0x%llx) is not inside any map definition",
		            rel_name, ri, off);
	struct bpfc_map *m = &c->obj->maps[outer->map];
	bool mim = m->type == MAP_TYPE_ARRAY_OF_MAPS || m->type == MAP_TYPE_HASH_OF_MAPS;
	if (outer->values_off == UINT32_MAX || (!mim && m->type != MAP_TYPE_PROG_ARRAY))
		return fail(c,
		            "section '%s': relocation %zu (offset 0x%llx) initializes map '%s', which is "
		            "not a map-in-map or prog array with a 'values' field",
		            rel_name, ri, off, m->name);
	uint64_t rel = r->r_offset - outer->off;
	if (rel < outer->values_off || (rel - outer->values_off) % 8)
		return fail(c,
		            "section '%s': relocation %zu (offset 0x%llx) is not on an 8-byte slot of map "
		            "'%s' field 'values' (at byte %u of the map)",
		            rel_name, ri, off, m->name, outer->values_off);
	uint64_t slot = (rel - outer->values_off) / 8;
	if (slot >= m->max_entries)
		return fail(c,
		            "section '%s': relocation %zu (offset 0x%llx) sets slot %llu of map '%s', "
		            "outside its max_entries %u",
		            rel_name, ri, off, (unsigned long long)slot, m->name, m->max_entries);
	if (symi == 0 || symi >= c->sym_cnt)
		return fail(
		    c,
		    "section '%s': relocation %zu (offset 0x%llx) refers to symbol %zu, which does not exist",
		    rel_name, ri, off, symi);
	const GElf_Sym *sym = &c->syms[symi];
	const char *sname = c->sym_names[symi];
	struct bpfc_map_init in = {(uint32_t)slot, -1, -1, NULL};
	if (mim) {
		int target = sym->st_shndx == sec_idx && GELF_ST_TYPE(sym->st_info) != STT_SECTION
		                 ? msym_map(c, sec_idx, sym->st_value)
		                 : -1;
		if (target < 0)
			return fail(c,
			            "section '%s': relocation %zu (offset 0x%llx) puts symbol '%s' in slot "
			            "%llu of map-in-map '%s', but it is not a map of '.maps'",
			            rel_name, ri, off, sname, (unsigned long long)slot, m->name);
		in.map_idx = target;
	} else {
		bool func = GELF_ST_TYPE(sym->st_info) == STT_FUNC && sym->st_shndx < c->sec_cnt &&
		            c->secs[sym->st_shndx].kind == SK_CODE;
		if (!func)
			return fail(c,
			            "section '%s': relocation %zu (offset 0x%llx) puts symbol '%s' in slot "
			            "%llu of prog array '%s', but it is not a function",
			            rel_name, ri, off, sname, (unsigned long long)slot, m->name);
		in.prog_idx = prog_index(c, sname, c->secs[sym->st_shndx].name);
	}
	for (size_t k = 0; k < m->init_cnt; k++)
		if (m->init[k].slot == in.slot)
			return fail(
			    c, "section '%s': relocation %zu (offset 0x%llx) sets slot %u of map '%s' twice",
			    rel_name, ri, off, in.slot, m->name);
	struct bpfc_map_init *n = realloc(m->init, (m->init_cnt + 1) * sizeof(*n));
	if (!n)
		return nomem(c);
	m->init = n;
	if (!(in.name = strdup(sname)))
		return nomem(c);
	m->init[m->init_cnt++] = in;
	return 0;
}

/* Runs after the programs are built: prog-array slots name programs by their index. */
static int load_map_inits(struct ctx *c)
{
	for (size_t i = 1; i < c->sec_cnt; i++) {
		struct esec *rs = &c->secs[i];
		if (rs->sh.sh_type != SHT_REL || rs->sh.sh_info == 0 || rs->sh.sh_info >= c->sec_cnt ||
		    c->secs[rs->sh.sh_info].kind != SK_MAPS)
			continue;
		int rc = walk_rels(c, i, map_init_reloc);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < c->obj->map_cnt; i++)
		if (c->obj->maps[i].init_cnt > 1)
			qsort(c->obj->maps[i].init, c->obj->maps[i].init_cnt, sizeof(struct bpfc_map_init),
			      cmp_init);
	return 0;
}

/* ---- programs ---- */

static void mark_references(struct ctx *c)
{
	for (size_t i = 1; i < c->sec_cnt; i++) {
		struct esec *s = &c->secs[i];
		for (size_t k = 0; k < s->insn_cnt; k++) {
			if (!s->targets[k].sec)
				continue;
			struct efunc *from = func_at(c, (uint32_t)i, (uint32_t)k);
			struct efunc *f = func_at(c, s->targets[k].sec, s->targets[k].insn);
			if (f && f != from)
				f->referenced = true;
		}
	}
}

/* libbpf: every function in .text is a subprogram; a function in another code section is a
 * program. We also accept, as a program, a global .text function nothing calls (it can be
 * loaded on its own), and treat static functions that something calls as subprograms. */
static bool is_program(struct ctx *c, const struct efunc *f)
{
	if (f->sec == c->text_sec)
		return f->global && !f->referenced;
	return f->global || !f->referenced;
}

struct linker {
	size_t *order; /* function indexes placed in the program, in layout order */
	uint32_t *pos; /* per function index: its first slot in the program, UINT32_MAX if absent */
	size_t cnt;
};

static int place(struct ctx *c, struct linker *l, size_t fi, uint32_t *total)
{
	if (l->pos[fi] != UINT32_MAX)
		return 0;
	uint32_t len = c->funcs[fi].end - c->funcs[fi].start;
	if (len > MAX_OBJECT_SLOTS || *total > MAX_OBJECT_SLOTS - len)
		return bpfc_error_set(c->err, BPFC_ERR_LIMIT,
		                      "%s: program '%s' with its subprograms is larger than %u instructions",
		                      c->path, c->funcs[l->cnt ? l->order[0] : fi].name, MAX_OBJECT_SLOTS);
	l->pos[fi] = *total;
	*total += len;
	l->order[l->cnt++] = fi;
	return 0;
}

static int fill_lines(struct ctx *c, struct bpfc_prog *p, const struct linker *l)
{
	if (!c->ext || !c->ext->line.sec_cnt)
		return 0;
	p->lines = calloc(p->insn_cnt ? p->insn_cnt : 1, sizeof(*p->lines));
	if (!p->lines)
		return nomem(c);
	const struct btf *btf = c->priv->btf;
	for (size_t o = 0; o < l->cnt; o++) {
		const struct efunc *f = &c->funcs[l->order[o]];
		struct esec *s = &c->secs[f->sec];
		const struct btfext_sec *ls = btfext_find(&c->ext->line, s->name);
		if (!ls)
			continue;
		const struct bpfc_line *cur = NULL;
		struct bpfc_line tmp;
		/* Records are sorted (check_line_info): start at the last one at or before f->start. */
		uint32_t lo = 0, hi = ls->cnt;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (btfext_word(c->ext, ls->recs + (size_t)mid * c->ext->line.rec_size, 0) / 8 <=
			    f->start)
				lo = mid + 1;
			else
				hi = mid;
		}
		uint32_t r = lo ? lo - 1 : 0;
		for (uint32_t k = f->start; k < f->end; k++) {
			/* Records are sorted by instruction: advance to the last one at or before k. */
			while (r < ls->cnt) {
				const uint8_t *rec = ls->recs + (size_t)r * c->ext->line.rec_size;
				uint32_t ioff = btfext_word(c->ext, rec, 0);
				if (ioff / 8 > k)
					break;
				const char *file = btf_str(btf, btfext_word(c->ext, rec, 1));
				const char *text = btf_str(btf, btfext_word(c->ext, rec, 2));
				if (!file || !text)
					return fail(c,
					            "section '.BTF.ext': line_info record %u of '%s' has a "
					            "file or line string "
					            "offset past the BTF strings",
					            r, s->name);
				uint32_t lc = btfext_word(c->ext, rec, 3);
				tmp = (struct bpfc_line){file, *text ? text : NULL, lc >> 10, lc & 0x3ff};
				cur = &tmp;
				r++;
			}
			if (cur)
				p->lines[l->pos[l->order[o]] + (k - f->start)] = *cur;
		}
	}
	return 0;
}

static int check_line_info(struct ctx *c)
{
	if (!c->ext)
		return 0;
	const struct btfext_info *infos[] = {&c->ext->line, &c->ext->func, &c->ext->core};
	const char *names[] = {"line_info", "func_info", "core_relo"};
	for (int w = 0; w < 3; w++) {
		for (size_t i = 0; i < infos[w]->sec_cnt; i++) {
			const struct btfext_sec *es = &infos[w]->secs[i];
			struct esec *s = find_sec(c, es->name);
			if (!s || s->kind != SK_CODE)
				return fail(
				    c, "section '.BTF.ext': %s for section '%s', which is not a code section",
				    names[w], es->name);
			uint32_t prev = 0;
			for (uint32_t r = 0; r < es->cnt; r++) {
				uint32_t ioff =
				    btfext_word(c->ext, es->recs + (size_t)r * infos[w]->rec_size, 0);
				if (ioff % 8 || ioff / 8 >= s->insn_cnt)
					return fail(c,
					            "section '.BTF.ext': %s record %u of '%s' is at byte %u, "
					            "not an instruction "
					            "in the section (%zu instructions)",
					            names[w], r, es->name, ioff, s->insn_cnt);
				if (w == 0 && ioff < prev)
					return fail(c,
					            "section '.BTF.ext': line_info records of '%s' are not "
					            "sorted (record %u)",
					            es->name, r);
				prev = ioff;
			}
		}
	}
	return 0;
}

static int add_core_relos(struct ctx *c, size_t prog_idx, const struct linker *l)
{
	if (!c->ext || !c->ext->core.sec_cnt)
		return 0;
	struct bpfc_prog *p = &c->obj->progs[prog_idx];
	const struct btf *btf = c->priv->btf;
	for (size_t o = 0; o < l->cnt; o++) {
		const struct efunc *f = &c->funcs[l->order[o]];
		const struct btfext_sec *cs = btfext_find(&c->ext->core, c->secs[f->sec].name);
		for (uint32_t r = 0; cs && r < cs->cnt; r++) {
			const uint8_t *rec = cs->recs + (size_t)r * c->ext->core.rec_size;
			uint32_t k = btfext_word(c->ext, rec, 0) / 8;
			if (k < f->start || k >= f->end)
				continue;
			struct bpfc_core_relo *n =
			    realloc(c->priv->relos, (c->obj->core_relo_cnt + 1) * sizeof(*c->priv->relos));
			if (!n)
				return nomem(c);
			c->priv->relos = n;
			struct bpfc_core_relo *cr = &n[c->obj->core_relo_cnt++];
			memset(cr, 0, sizeof(*cr));
			cr->prog = (uint32_t)prog_idx;
			cr->insn = l->pos[l->order[o]] + (k - f->start);
			cr->type_id = btfext_word(c->ext, rec, 1);
			cr->kind = btfext_word(c->ext, rec, 3);
			cr->access = btf_str(btf, btfext_word(c->ext, rec, 2));
			if (!cr->access || cr->type_id >= btf_type_count(btf))
				return fail(c,
				            "section '.BTF.ext': core_relo record %u of '%s' has a bad type "
				            "id %u or access "
				            "string offset",
				            r, c->secs[f->sec].name, cr->type_id);
			elf_core_resolve(btf, c->target_btf, p, cr, &c->priv->pool);
			if (!cr->resolved)
				c->obj->core_unresolved++;
		}
	}
	c->obj->core_relos = c->priv->relos;
	return 0;
}

static int build_program(struct ctx *c, size_t entry, const char *type)
{
	struct linker l = {0};
	l.order = malloc(c->func_cnt * sizeof(*l.order));
	l.pos = malloc(c->func_cnt * sizeof(*l.pos));
	struct isa_slot *insns = NULL;
	int rc = 0;
	if (!l.order || !l.pos) {
		rc = nomem(c);
		goto out;
	}
	for (size_t i = 0; i < c->func_cnt; i++)
		l.pos[i] = UINT32_MAX;
	uint32_t total = 0;
	place(c, &l, entry, &total);
	/* Breadth-first over callees: each function is placed once, so this ends. */
	for (size_t o = 0; o < l.cnt; o++) {
		const struct efunc *f = &c->funcs[l.order[o]];
		const struct esec *s = &c->secs[f->sec];
		for (uint32_t k = f->start; k < f->end; k++) {
			if (!s->targets[k].sec)
				continue;
			struct efunc *g = func_at(c, s->targets[k].sec, s->targets[k].insn);
			if (!g) {
				rc = fail(c,
				          "section '%s': instruction %u of '%s' refers to instruction %u of "
				          "'%s', which is in no "
				          "function",
				          s->name, k - f->start, f->name, s->targets[k].insn,
				          c->secs[s->targets[k].sec].name);
				goto out;
			}
			if (g->start != s->targets[k].insn && g != f) {
				rc = fail(c,
				          "section '%s': instruction %u of '%s' calls into the middle of "
				          "'%s' (instruction %u)",
				          s->name, k - f->start, f->name, g->name,
				          s->targets[k].insn - g->start);
				goto out;
			}
			if ((rc = place(c, &l, (size_t)(g - c->funcs), &total)))
				goto out;
		}
	}
	if (total > MAX_OBJECT_SLOTS - c->loaded_slots) {
		rc = bpfc_error_set(
		    c->err, BPFC_ERR_LIMIT,
		    "%s: program '%s' makes the object's programs, with their subprograms, larger than "
		    "%u instructions",
		    c->path, c->funcs[entry].name, MAX_OBJECT_SLOTS);
		goto out;
	}
	c->loaded_slots += total;
	insns = malloc((total ? total : 1) * sizeof(*insns));
	if (!insns) {
		rc = nomem(c);
		goto out;
	}
	for (size_t o = 0; o < l.cnt; o++) {
		const struct efunc *f = &c->funcs[l.order[o]];
		const struct esec *s = &c->secs[f->sec];
		uint32_t base = l.pos[l.order[o]];
		memcpy(&insns[base], &s->insns[f->start], (f->end - f->start) * sizeof(*insns));
		for (uint32_t k = f->start; k < f->end; k++) {
			if (!s->targets[k].sec)
				continue;
			struct efunc *g = func_at(c, s->targets[k].sec, s->targets[k].insn);
			int64_t to = (int64_t)l.pos[g - c->funcs] + (s->targets[k].insn - g->start);
			int64_t from = (int64_t)base + (k - f->start);
			insns[from].imm = (int32_t)(to - from - 1);
		}
	}
	const struct efunc *ef = &c->funcs[entry];
	struct bpfc_prog *p =
	    bpfc_object_add_prog(c->obj, ef->name, c->secs[ef->sec].name, type, insns, total);
	if (!p) {
		rc = nomem(c);
		goto out;
	}
	insns = NULL;
	p->byte_order = c->bo;
	p->sec_off = ef->start * 8;
	p->funcs = calloc(l.cnt, sizeof(*p->funcs));
	if (!p->funcs) {
		rc = nomem(c);
		goto out;
	}
	for (size_t o = 0; o < l.cnt; o++) {
		const struct efunc *f = &c->funcs[l.order[o]];
		p->funcs[o].name = strdup(f->name);
		if (!p->funcs[o].name) {
			rc = nomem(c);
			goto out;
		}
		p->funcs[o].start = l.pos[l.order[o]];
		p->funcs[o].end = p->funcs[o].start + (f->end - f->start);
		p->func_cnt++;
	}
	if ((rc = fill_lines(c, p, &l)))
		goto out;
	rc = add_core_relos(c, c->obj->prog_cnt - 1, &l);
out:
	free(insns);
	free(l.order);
	free(l.pos);
	return rc;
}

static int load_programs(struct ctx *c)
{
	mark_references(c);
	for (size_t i = 0; i < c->func_cnt; i++) {
		const struct efunc *f = &c->funcs[i];
		if (!is_program(c, f))
			continue;
		const char *secname = c->secs[f->sec].name;
		if (c->opts && c->opts->section && strcmp(c->opts->section, secname) != 0)
			continue;
		if (c->opts && c->opts->program && strcmp(c->opts->program, f->name) != 0)
			continue;
		const char *t = NULL;
		if (c->opts && c->opts->prog_type) {
			t = c->opts->prog_type;
		} else {
			if (!c->sections_table && !(c->sections_table = elf_sections_table(c->err)))
				return c->err->code;
			t = elf_sections_table_type(c->sections_table, secname);
		}
		int rc = build_program(c, i, t);
		if (rc)
			return rc;
	}
	if (c->opts && (c->opts->section || c->opts->program) && c->obj->prog_cnt == 0) {
		if (c->opts->program)
			return fail(c, "no program named '%s'%s%s%s", c->opts->program,
			            c->opts->section ? " in section '" : "",
			            c->opts->section ? c->opts->section : "", c->opts->section ? "'" : "");
		return fail(c, "no program in section '%s'", c->opts->section);
	}
	return 0;
}

static void ctx_free(struct ctx *c)
{
	for (size_t i = 0; i < c->sec_cnt; i++) {
		free(c->secs[i].insns);
		free(c->secs[i].targets);
		free(c->secs[i].relocated);
	}
	free(c->secs);
	free(c->syms);
	free(c->sym_names);
	free(c->sym_extern);
	free(c->funcs);
	free(c->msyms);
	btf_free(c->target_btf);
	btfext_free(c->ext);
	if (c->elf)
		elf_end(c->elf);
	free(c->image);
}

int elf_load_object(const char *path, const uint8_t *data, size_t len, const struct bpfc_elf_opts *opts,
                    struct bpfc_object **out, struct bpfc_error *err)
{
	*out = NULL;
	bpfc_error_clear(err);
	struct ctx c = {
	    .path = path ? path : "<memory>", .opts = opts, .err = err, .len = len, .kconfig_map = -1};
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bpfc_error_set(err, BPFC_ERR_UNSUPPORTED, "libelf: %s", elf_errmsg(-1));
	/* libelf may translate in place: give it a private copy. */
	c.image = malloc(len ? len : 1);
	c.obj = bpfc_object_new(c.path);
	c.priv = calloc(1, sizeof(*c.priv));
	if (!c.image || !c.obj || !c.priv) {
		free(c.priv);
		bpfc_object_free(c.obj);
		free(c.image);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", c.path);
	}
	if (len)
		memcpy(c.image, data, len);
	c.obj->priv = c.priv;
	c.obj->priv_free = priv_free;
	int rc = check_header(&c);
	if (!rc)
		rc = load_symbols(&c);
	if (!rc)
		rc = load_btf(&c);
	if (!rc)
		rc = load_license_version(&c);
	if (!rc)
		rc = load_maps(&c);
	if (!rc)
		rc = load_code(&c);
	if (!rc)
		rc = load_relocs(&c);
	if (!rc)
		rc = check_line_info(&c);
	if (!rc)
		rc = load_programs(&c);
	if (!rc)
		rc = load_map_inits(&c);
	ctx_free(&c);
	if (rc) {
		bpfc_object_free(c.obj);
		return rc;
	}
	*out = c.obj;
	return 0;
}
