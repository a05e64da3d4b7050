namespace Nlps.Agents.Translator.Documents;

/// <summary>A document that cannot be read for translation; the message names the file and why.</summary>
internal sealed class DocumentFormatException(string message) : Exception(message);
