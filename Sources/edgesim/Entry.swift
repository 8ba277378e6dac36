import EdgeSimCommands

EdgeSimMain.prepareProcess()
await EdgeSimMain.main()
