import EdgeSimCommands

EdgeSimMain.main()
