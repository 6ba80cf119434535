# Helpers shared by every CMakeLists.txt in the tree.

# Warnings (as errors, unless CLIENTELE_WERROR is off) for Clientele's own
# code; generated code is compiled without them.
function(clientele_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter
                         -Wno-missing-field-initializers)
  if(CLIENTELE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# clientele_library(name SRCS a.cc b.cc DEPS lib...)
function(clientele_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  clientele_warnings(${name})
endfunction()

# clientele_test(name SRCS a_test.cc DEPS lib... [LABELS l...])
# A GoogleTest binary registered with CTest, one CTest test per binary.
function(clientele_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  clientele_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

# clientele_server_binary(name SRCS main.cc DEPS lib...)
# A server binary. grpc/health/v1/health.proto is linked in as objects so that
# reflection can describe grpc.health.v1.Health.
function(clientele_server_binary name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} clientele_health_proto)
  clientele_warnings(${name})
endfunction()
