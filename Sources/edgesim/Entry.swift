import EdgeSimCommands

await EdgeSimMain.main()
