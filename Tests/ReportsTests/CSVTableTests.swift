import Reports
import Testing

@Suite struct CSVTableTests {
  @Test func quotesAsRFC4180() {
    let table = CSVTable(
      header: ["name", "value"],
      rows: [
        [.text("plain"), .number(0.1)], [.text("a,b"), .integer(3)],
        [.text("say \"hi\""), .empty],
        [.text("two\nlines"), .number(.nan)], [.text("cr\r"), .number(1e-12)],
      ])
    #expect(
      table.rendered
        == "name,value\nplain,0.1\n\"a,b\",3\n\"say \"\"hi\"\"\",\n\"two\nlines\",\n\"cr\r\",1e-12\n"
    )
  }
}
