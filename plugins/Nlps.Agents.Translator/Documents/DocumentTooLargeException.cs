namespace Nlps.Agents.Translator.Documents;

/// <summary>A document over a size limit; the message names the file, its size and the limit.</summary>
internal sealed class DocumentTooLargeException(string message) : Exception(message);
