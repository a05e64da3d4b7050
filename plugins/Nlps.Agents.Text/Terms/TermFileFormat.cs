namespace Nlps.Agents.Text.Terms;

/// <summary>The file formats a term list can be imported from.</summary>
public enum TermFileFormat
{
    /// <summary>A JSON object <c>{ "한국어 용어": "English term" }</c> (the vendor's <c>eng_key_dict.json</c>).</summary>
    Json,

    /// <summary>Tab-separated UTF-8 text, two columns, an optional header line, <c>#</c> comment lines.</summary>
    Tsv,

    /// <summary>An Excel workbook; columns A and B of the first worksheet, an optional header row.</summary>
    Xlsx,
}
