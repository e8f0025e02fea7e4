<?xml version="1.0"?>
<!--
  SPDX-License-Identifier: GPL-2.0-or-later
  The <baton:standard> tables of an agent's metadata (xml-metadata/<agent>.xml) as
  Markdown, for the agent's README between <!- - standard-params:begin - -> and
  <!- - standard-params:end - ->. tests/standard-params-readme.sh puts it there
  (make update-standard-params) and make check fails when the README differs, so
  the README cannot drift from what the agent enforces.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:baton="urn:baton:metadata:1">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:strip-space elements="*"/>

  <xsl:variable name="self" select="concat('ocf:baton:', /resource-agent/@name)"/>

  <xsl:template match="/">
    <xsl:text>&lt;!-- generated from xml-metadata/</xsl:text>
    <xsl:value-of select="/resource-agent/@name"/>
    <xsl:text>.xml by make update-standard-params; do not edit --&gt;&#10;</xsl:text>
    <xsl:apply-templates select="/resource-agent/baton:standard"/>
  </xsl:template>

  <xsl:template match="baton:standard">
    <xsl:if test="position() &gt; 1">
      <xsl:text>&#10;</xsl:text>
    </xsl:if>
    <xsl:text>Every parameter of `</xsl:text>
    <xsl:value-of select="@agent"/>
    <xsl:text>` that `</xsl:text>
    <xsl:value-of select="$self"/>
    <xsl:text>` does not implement with the same name and meaning:&#10;&#10;</xsl:text>
    <xsl:text>| parameter | in </xsl:text>
    <xsl:value-of select="$self"/>
    <xsl:text> | why; what to use instead |&#10;|---|---|---|&#10;</xsl:text>
    <xsl:apply-templates select="baton:param"/>
  </xsl:template>

  <xsl:template match="baton:param">
    <xsl:text>| `</xsl:text>
    <xsl:value-of select="@name"/>
    <xsl:text>` | </xsl:text>
    <xsl:choose>
      <xsl:when test="@decision = 'refused' and @accept">
        <xsl:text>refused (6) unless `</xsl:text>
        <xsl:value-of select="@accept"/>
        <xsl:text>`</xsl:text>
      </xsl:when>
      <xsl:when test="@decision = 'refused'">refused (6)</xsl:when>
      <xsl:when test="@decision = 'noop'">accepted, no effect (logged)</xsl:when>
      <xsl:when test="@decision = 'differs'">implemented, differs</xsl:when>
    </xsl:choose>
    <xsl:text> | </xsl:text>
    <xsl:call-template name="cell">
      <xsl:with-param name="s" select="normalize-space(.)"/>
    </xsl:call-template>
    <xsl:if test="@instead">
      <xsl:text>; </xsl:text>
      <xsl:call-template name="cell">
        <xsl:with-param name="s" select="normalize-space(@instead)"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:text> |&#10;</xsl:text>
  </xsl:template>

  <!-- A "|" would end the table cell. -->
  <xsl:template name="cell">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, '|')">
        <xsl:value-of select="substring-before($s, '|')"/>
        <xsl:text>\|</xsl:text>
        <xsl:call-template name="cell">
          <xsl:with-param name="s" select="substring-after($s, '|')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$s"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
