// main() of the GoogleTest programs that need nothing before their tests run.
#include "support/support.h"

int main(int argc, char **argv)
{
    return civt::test_main(argc, argv, nullptr);
}
