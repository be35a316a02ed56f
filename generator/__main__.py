from generator.commands import main

raise SystemExit(main())
