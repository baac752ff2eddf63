# Finds a clang that targets BPF and compiles eBPF C sources to objects.
# clang-19 with -mcpu=v4 (signed division, sign-extending loads, bswap, gotol) is preferred;
# an older clang builds with -mcpu=v3 and programs that need v4 are skipped.
find_program(BPF_CLANG NAMES clang-19 clang-18 clang-17 clang)
set(BPF_CPU v3)
set(BPF_HAVE_V4 OFF)
if(BPF_CLANG)
  execute_process(COMMAND ${BPF_CLANG} --version OUTPUT_VARIABLE _clang_ver ERROR_QUIET)
  string(REGEX MATCH "version ([0-9]+)" _m "${_clang_ver}")
  set(BPF_CLANG_MAJOR ${CMAKE_MATCH_1})
  if(BPF_CLANG_MAJOR GREATER_EQUAL 18)
    set(BPF_CPU v4)
    set(BPF_HAVE_V4 ON)
  endif()
endif()
execute_process(COMMAND ${CMAKE_C_COMPILER} -dumpmachine OUTPUT_VARIABLE _triple OUTPUT_STRIP_TRAILING_WHITESPACE)
# clang says x86_64-pc-linux-gnu where Debian's multiarch headers live in x86_64-linux-gnu.
if(NOT EXISTS /usr/include/${_triple}/asm)
  file(GLOB _asm_dirs /usr/include/*-linux-gnu*/asm)
  if(_asm_dirs)
    list(GET _asm_dirs 0 _asm_dir)
    get_filename_component(_asm_dir ${_asm_dir} DIRECTORY)
    get_filename_component(_triple ${_asm_dir} NAME)
  endif()
endif()
set(BPF_CFLAGS -g -O2 -target bpf -mcpu=${BPF_CPU} -Wall -Wno-unused-value -Wno-pointer-sign
    -Wno-compare-distinct-pointer-types -I/usr/include/${_triple} -I${CMAKE_SOURCE_DIR}/tests/include)
if(BPFCHECK_BPF_PROGRAMS AND BPF_CLANG)
  message(STATUS "eBPF programs: ${BPF_CLANG} (clang ${BPF_CLANG_MAJOR}) -mcpu=${BPF_CPU}")
  set(BPF_PROGRAMS_ENABLED ON)
else()
  message(STATUS "eBPF programs: not built (no clang that targets BPF)")
  set(BPF_PROGRAMS_ENABLED OFF)
endif()

# bpf_compile(<target> <out_dir> <sources...>): one .o per .c into out_dir; a custom target
# named <target> builds them all. A source whose first line contains "needs: v4" is skipped
# when only an older clang is available.
function(bpf_compile target out_dir)
  set(outputs)
  if(BPF_PROGRAMS_ENABLED)
    foreach(src ${ARGN})
      file(STRINGS ${src} _first LIMIT_COUNT 1)
      if(_first MATCHES "needs: v4" AND NOT BPF_HAVE_V4)
        continue()
      endif()
      get_filename_component(name ${src} NAME_WE)
      set(out ${out_dir}/${name}.o)
      add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
        COMMAND ${BPF_CLANG} ${BPF_CFLAGS} -c ${src} -o ${out}
        DEPENDS ${src}
        COMMENT "clang -target bpf ${name}.c")
      list(APPEND outputs ${out})
    endforeach()
  endif()
  add_custom_target(${target} ALL DEPENDS ${outputs})
endfunction()

file(GLOB EXAMPLE_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/examples/*.c)
bpf_compile(examples ${CMAKE_BINARY_DIR}/examples ${EXAMPLE_SOURCES})
